"""The task runner under the searches: shared data shipped once, results in task order."""

import numpy as np
import pytest

from scratchml.model_selection._parallel import TaskRunner


class CountsPickles:
    """Counts how many times it is pickled in this process (shipped to a worker)."""

    pickled = 0

    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        type(self).pickled += 1
        return (CountsPickles, (self.value,))


def _task(shared, k):
    return shared.value * k


@pytest.mark.parametrize("executor", [None, "threads", "processes"])
def test_shared_data_is_shipped_at_most_once_per_worker(executor):
    CountsPickles.pickled = 0
    data = CountsPickles(np.arange(3.0))
    with TaskRunner(2, executor, shared=(data,)) as runner:
        first = runner.map(_task, [(k,) for k in range(10)])
        second = runner.map(_task, [(k,) for k in range(10, 14)])  # the same pool again
    assert [list(v) for v in first + second] == [list(np.arange(3.0) * k) for k in range(14)]
    assert CountsPickles.pickled <= 2  # never once per task (14 tasks)


def test_serial_runner_runs_in_order_and_rejects_bad_n_jobs():
    with TaskRunner(None, shared=(CountsPickles(1.0),)) as runner:
        assert runner.map(_task, [(1,), (2,)]) == [1.0, 2.0]
    with pytest.raises(ValueError, match="n_jobs=0"):
        TaskRunner(0)
    with pytest.raises(ValueError, match="executor"):
        TaskRunner(2, executor="gpu")
