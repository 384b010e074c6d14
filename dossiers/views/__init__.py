"""The screens of the dossiers app, one module per family: the lists (inbox), the dossier page and its
generic action (detail), the stages before departure (stages), the commission (commission), and the
reference data kept by managers (reference_data)."""
