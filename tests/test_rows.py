"""Rows of fixed-width columns: Chinese text takes two cells a character and must still line up."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.widgets.rows import cells, fit, row

TEXT = st.text(alphabet="党建品牌ab1 （）《》…é", max_size=30)


@given(TEXT, st.integers(0, 40))
def test_fit_fills_exactly_the_cells_it_is_given(text, size):
    fitted = fit(text, size)
    assert cell_len(fitted) == size
    if cell_len(text) <= size:
        assert fitted.rstrip(" ") == text.rstrip(" ")
    else:
        assert fitted.rstrip(" ").endswith("…") or size <= 1
        assert text.startswith(fitted.rstrip(" ")[:-1].rstrip(" "))


@given(st.lists(st.tuples(TEXT, st.integers(1, 14)), min_size=1, max_size=5), st.integers(10, 120))
def test_a_row_is_exactly_as_wide_as_the_list(columns, width):
    segments = row([(text, "bold", size) for text, size in columns], width)
    assert sum(cell_len(segment.text) for segment in segments) == width


def test_columns_line_up_whatever_the_script():
    rows = [row([("金兴小学", "bold", 10), ("北碚区", "dim", 8), ("“双创”示范校", "", 0)], 40),
            row([("ABC School", "bold", 10), ("Beibei", "dim", 8), ("title", "", 0)], 40)]
    starts = [[sum(cell_len(s.text) for s in r[:i]) for i in range(len(r))] for r in rows]
    assert starts[0] == starts[1]
    assert cells([("党建", "bold", 3), ("x", "", 0)], 6).plain == "党… x "
    assert cells([("党建", "bold", 4), ("x", "", 0)], 7).plain == "党建 x "
    assert fit("党建", 1) == "…" and fit("a党", 2) == "a…" and fit("a党", 3) == "a党"
