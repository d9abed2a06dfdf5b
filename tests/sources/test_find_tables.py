"""``find_tables``: a symlink loop in the data folder is one line naming it, not a traceback."""

from __future__ import annotations

import pytest

from wijkplan.errors import ValidationError
from wijkplan.sources.statline import find_tables


@pytest.mark.parametrize("name", ["f.csv", "eigen.json"])
def test_a_symlink_loop_is_one_line_naming_the_file(tmp_path, name):
    (tmp_path / "ander.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (tmp_path / name).symlink_to(name)  # ln -s f.csv f.csv
    with pytest.raises(ValidationError) as caught:
        find_tables(tmp_path, lambda table: None)
    assert len(caught.value.problems) == 1
    line = caught.value.problems[0]
    assert line.startswith(f"{tmp_path / name}: symbolische koppeling") and "\n" not in line


def test_files_without_loops_are_read_as_before(tmp_path):
    (tmp_path / "ander.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (tmp_path / "koppeling.csv").symlink_to("ander.csv")
    assert find_tables(tmp_path, lambda table: None) == {}
