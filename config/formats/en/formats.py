"""English formats (for Vietnam): the same as the Vietnamese ones (``config.formats.vi``), so
that switching the interface language never brings month-first dates or "," thousands back:
``05/03/1950`` is 5 March in both languages."""

from config.formats.vi.formats import *  # noqa: F403
