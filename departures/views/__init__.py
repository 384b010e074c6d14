"""Departures pages, one module per screen family:

- ``acceptance``: the commission's acceptance with the quota check;
- ``stay``: the stay, departure, site visits and incidents, return, early return, return review;
- ``contract``: contract generation, signature and downloads;
- ``copayment``: the co-payment, its payments and waiver;
- ``lists``: stays in progress and departures to come;
- ``hosts``: host organisations;
- ``schemes``: schemes and funding agreements (places granted, used and left);
- ``common``: the helpers they share.
"""
