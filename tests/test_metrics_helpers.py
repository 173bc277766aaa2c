"""The shared-docstring helper of scratchml.metrics: filled docstrings are complete."""

import inspect
import re

import pytest

import scratchml.metrics as M
from scratchml.metrics._base import fill_doc

# The metrics whose docstrings are assembled from shared blocks by ``fill_doc``.
FILLED = ["explained_variance_score", "mean_absolute_error", "mean_absolute_percentage_error",
          "mean_squared_error", "median_absolute_error", "r2_score", "root_mean_squared_error",
          "f1_score", "fbeta_score", "precision_score", "recall_score"]


@pytest.mark.parametrize("name", FILLED)
def test_filled_docstring_documents_every_parameter(name):
    fn = getattr(M, name)
    doc = fn.__doc__
    assert not re.search(r"\{(params|beta)\}", doc), "a marker was left unfilled"
    documented = set()
    for line in doc.split("Parameters\n")[1].split("Returns\n")[0].splitlines():
        if re.match(r"^    \w", line):  # a parameter line, at the section's indentation
            documented |= {p.strip() for p in line.split(" : ")[0].split(",")}
    assert documented == set(inspect.signature(fn).parameters)
    assert "Returns\n    -------\n" in doc and "Examples\n    --------\n" in doc
    # Every line keeps the docstring's own indentation (blocks are indented to match).
    body = [line for line in doc.splitlines()[1:] if line]
    assert all(line.startswith("    ") for line in body)


def test_fill_doc_fills_in_order_and_rejects_a_missing_marker():
    @fill_doc(a="x {b} y", b="B")
    def f():
        """Head {a} tail."""

    assert f.__doc__ == "Head x B y tail."
    with pytest.raises(ValueError, match=r"has no \{c\}"):
        fill_doc(c="C")(f)
