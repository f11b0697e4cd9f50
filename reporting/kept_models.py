"""The kept figures' models (:class:`DataVersion`, :class:`ClubState`, :class:`ClubFigures`,
:class:`ClubSeries`, :class:`KeptDate`), models of ``reporting.models`` kept in a module of their
own; written and read by ``reporting.cache`` and ``reporting.figures``."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clubs.models import Club


class DataVersion(models.Model):
    """The counter of writes not tied to clubs (units, phases, criteria, targets, province
    targets): they change how figures are judged, not the clubs' counts. Writes to clubs' data
    move those clubs' own counters (:class:`ClubState`), never a shared row. See
    ``reporting.cache``."""

    unscoped = models.BigIntegerField(default=0)
    #: The time of the last such write (its transaction's time); ``None`` before the first.
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="data_version_single_row"),
        ]

    def __str__(self):
        return str(self.unscoped)


class ClubState(models.Model):
    """A club's change counter: every write that may change the club's figures (its own row,
    members, assessments, loans, attendances, visits) increases ``seq`` in the transaction of
    the write, so the mark commits or rolls back with the data. One row per club: concurrent
    writers to different clubs never wait for each other."""

    club = models.OneToOneField(
        Club, on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    seq = models.BigIntegerField(default=0)
    #: The time of the club's last such write (its transaction's time); ``None`` for rows made
    #: before the time was kept. The time of the data of a frozen snapshot
    #: (``reporting.snapshots``) is the latest over its clubs.
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trạng thái số liệu CLB")
        verbose_name_plural = _("trạng thái số liệu CLB")

    def __str__(self):
        return f"{self.club_id}: {self.seq}"


class ClubFigures(models.Model):
    """A club's counts at one as-of date, kept (``reporting.figures``): what every criterion
    and target needs. ``seq`` is the club's :class:`ClubState` counter the counts were read
    at, or below it; the row is current only while the two are equal and ``ages`` names every
    age threshold the phases use (``"55,60"``; ``older`` maps each to a count).

    ``active``: active members at ``as_of``; ``women``, ``poor`` (poor, near-poor or
    disadvantaged by the assessment in force), ``borrowed`` and ``borrowed_improved`` (distinct
    active members with a loan disbursed on or before ``as_of``, with an improved income
    outcome assessed on or before it); ``trained`` (a training session on or before
    ``as_of``); ``last_visit`` (the latest monitoring visit on or before ``as_of``).

    Club life (``reporting.club_life``), counted by the parameters ``life`` names (the window
    and the activity kinds in force, ``LifeParams.key``; empty and the counts null before any
    phase that sets club-life targets): ``kinds_held`` (activity kinds held in the window),
    ``meetings`` (monthly meetings in the window), ``funds_reported`` (both funds reported in
    it), ``revolving_fund`` and ``activity_fund`` (set up on or before ``as_of``).
    """

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="figures")
    as_of = models.DateField()
    seq = models.BigIntegerField()
    ages = models.CharField(max_length=60)
    active = models.PositiveIntegerField()
    women = models.PositiveIntegerField()
    poor = models.PositiveIntegerField()
    borrowed = models.PositiveIntegerField()
    borrowed_improved = models.PositiveIntegerField()
    older = models.JSONField(default=dict)
    trained = models.BooleanField()
    last_visit = models.DateField(null=True)
    life = models.TextField(default="", blank=True)
    kinds_held = models.PositiveSmallIntegerField(null=True)
    meetings = models.PositiveSmallIntegerField(null=True)
    funds_reported = models.BooleanField(null=True)
    revolving_fund = models.BooleanField(null=True)
    activity_fund = models.BooleanField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu CLB theo ngày")
        verbose_name_plural = _("số liệu CLB theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["as_of", "club"], name="club_figures_one_per_day"),
        ]

    def __str__(self):
        return f"{self.club_id} @ {self.as_of}"


class ClubSeries(models.Model):
    """A club's members over time, kept for the quarterly series (``reporting.series``):
    ``buckets`` lists ``[first quarter, end quarter or null, members]`` of its members, current
    while ``seq`` equals the club's :class:`ClubState` counter."""

    club = models.OneToOneField(
        Club, on_delete=models.CASCADE, primary_key=True, related_name="series"
    )
    seq = models.BigIntegerField()
    buckets = models.JSONField(default=list)

    class Meta:
        verbose_name = _("chuỗi số liệu CLB")
        verbose_name_plural = _("chuỗi số liệu CLB")

    def __str__(self):
        return str(self.club_id)


class KeptDate(models.Model):
    """An as-of date whose club figures are kept: for good (``permanent``: today when built,
    period and phase ends) or until ``last_used`` is older than ``FIGURES_KEEP_DAYS``."""

    day = models.DateField(primary_key=True)
    permanent = models.BooleanField(default=False)
    last_used = models.DateField()

    class Meta:
        verbose_name = _("ngày giữ số liệu")
        verbose_name_plural = _("ngày giữ số liệu")

    def __str__(self):
        return str(self.day)
