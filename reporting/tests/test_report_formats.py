"""docs/report-formats.md is what other people's tools read: its examples are the CSV the code gives for
the example import file, line for line (a "..." in an example stands for lines left out)."""
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from reporting import renderers, reports
from reporting.filters import ReportFilters

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "example-legacy.csv"


def documented_examples():
    """{report name: [[consecutive lines], ...]} from the indented examples of each report's section."""
    examples = {}
    text = (ROOT / "docs" / "report-formats.md").read_text(encoding="utf-8")
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        name = re.match(r"`(\w+)`", section)
        if not name:
            continue
        # The example: the indented lines that follow a blank line (a code block, not a list item's).
        lines, previous, inside = [], "", False
        for line in section.splitlines():
            inside = line.startswith("    ") and (inside or previous == "")
            if inside:
                lines.append(line[4:])
            previous = line
        parts, current = [], []
        for line in lines:
            if line == "...":
                parts.append(current)
                current = []
            else:
                current.append(line)
        parts.append(current)
        examples[name.group(1)] = [part for part in parts if part]
    return examples


def test_every_report_is_documented_with_the_csv_it_gives(capsys):
    call_command("import_legacy", str(EXAMPLE))
    examples = documented_examples()
    assert set(examples) == set(reports.REPORTS)
    for name, parts in examples.items():
        produced = renderers.to_csv(reports.build(name, ReportFilters())).decode("utf-8").splitlines()
        assert parts[0][0] == produced[0], name  # the header row
        position = 0
        for part in parts:
            for start in range(position, len(produced) - len(part) + 1):
                if produced[start:start + len(part)] == part:
                    position = start + len(part)
                    break
            else:
                pytest.fail(f"{name}: documented lines not in the CSV, in this order: {part}")
        if len(parts) == 1:
            assert parts[0] == produced, name  # an example without "..." is the whole file
