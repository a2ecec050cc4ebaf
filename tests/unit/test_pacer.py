"""The pacer spaces messages per channel and per workspace (injected clock, no waiting)."""

from __future__ import annotations

from jobs.delivery import MARGIN, Pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sent: list[tuple[str, float]] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def pacer(self, workspace_rate: int) -> Pacer:
        """One message a second per channel after a burst of 3, and `workspace_rate` a second
        in the workspace (its burst as large), on this clock."""
        return Pacer(
            channel_rate=1,
            channel_burst=3,
            workspace_rate=workspace_rate,
            workspace_burst=workspace_rate,
            clock=self.clock,
            sleep=self.sleep,
        )


def test_one_channel_gets_a_burst_then_one_a_second() -> None:
    t = FakeTime()
    pacer = t.pacer(workspace_rate=100)
    times = []
    for _ in range(6):
        pacer.wait("C1")
        times.append(round(t.now, 3))
    step = 1 + MARGIN
    assert times[:3] == [0, 0, 0]
    assert times[3:] == [round(step * k, 3) for k in (1, 2, 3)]


def test_many_channels_share_the_workspace_rate() -> None:
    t = FakeTime()
    pacer = t.pacer(workspace_rate=10)
    for i in range(30):
        pacer.wait(f"C{i}")
    # 10 at once, then 20 more at 10 a second (plus the margin).
    assert abs(t.now - 20 * (1 + MARGIN) / 10) < 1e-9
