"""Uncertainty in turnout: a seeded Monte Carlo band (P10 / P50 / P90) of a plan's enrolments.

The plan's figures (planner/solve/evaluate.py) are computed at four rates the scenario
assumes: propaganda.reach_share, propaganda.conversion, conferences.show_up and
conferences.conversion. Nobody measured them. This module asks how far the plan's expected
enrolments and reach move when those rates are drawn from the ranges in `[uncertainty]`,
and reports P10 / P50 / P90 and the mean, for the whole plan, each province, each channel
(passes, conferences) and each conference. It reads a Plan and a Scenario only; the plan
itself is not changed.

The model
---------
1. Rates. Each rate is triangular(low, mode, high) over its `[uncertainty]` range, with
   mode = the scenario's own value (the schema checks that the range contains it; a range
   left out follows the rate, see "Calibration" below).
2. Correlation (a Gaussian copula). In each draw a rate has a normal score
       score = sqrt(0.6) Z_nation + sqrt(0.2) Z_province + sqrt(0.2) Z_conference
   with independent standard normals, and rate = F^-1(Phi(score)), F the triangular
   distribution function. The score's variance is 1, so at every place the rate is exactly
   the triangular of (1), while two places share 60 % of it (80 % in one province).
   Passes have no level of their own: their score is sqrt(0.6) Z_nation + sqrt(0.4)
   Z_province. The four rates are independent of each other. `Correlation` sets the shares.
3. Figures of a draw. Passes are linear in both rates, so a province's pass figures scale
   exactly: people = plan people x reach / reach_mode, enrolments = plan enrolments x
   (reach / reach_mode) x (conversion / conversion_mode). A conference keeps the plan's
   invited (min(gathering cap, hall area / m2 per person, people left in its catchment):
   fixed by the plan, not by the rates); attendance = min(invited x show-up, gathering cap,
   seats by area) and enrolments = attendance x conversion, as in evaluate.py. The plan
   never invites more than the seats and show-up <= 1, so attendance can never pass the
   cap or the seats, however high show-up is; the min() only bites on a plan that invited
   more than its seats (a hand-made or re-planned one).
4. Bands. Draws are numpy Generator(PCG64) streams spawned from SeedSequence(seed): the same
   plan, scenario and seed give the same band, bit for bit (on one numpy version).
   Quantiles are numpy's (linear interpolation). `plan_percentile` is the share of draws
   below the plan's own figure.
   Each conference's own band comes from one reference sample of 16 x draws (show-up,
   conversion) pairs: by (2) every conference's pair has the same distribution, so its band
   depends only on its invited and seats, and alike conferences get the same band.

Why these correlations
----------------------
The ranges mostly express ignorance of the rates, not variation between places: if the 1 %
of people reached by a loudspeaker who enrol is really 0.5 %, it is 0.5 % in Lào Cai and in
Cà Mau alike. Draws with independent rates per stop would let thousands of errors cancel and give
a national band far too narrow to defend (measured on the demo: with no shared part, the
conferences' band is 189-215 enrolments instead of 138-268). So most of the variance (60 %)
is one national factor per rate. Provinces differ for real (incomes, officials, how hard
the post office works the invitations): 20 %. A conference's day (weather, a market day, a
funeral, who came to speak) is its own: the last 20 %. Passes carry no per-commune noise:
over the hundreds of passes a province makes it averages out, and folding it into the
province's share makes the province band slightly wider, not narrower. The four rates are
drawn independently of each other; a common "appeal of the product" factor between the two
conversions would widen the band further.

Where the plan's own figure falls
---------------------------------
The plan's figure is computed at the modes, and the mean of a triangular is (low + mode +
high) / 3: a range with more room above the mode than below makes the Monte Carlo mean
higher than the plan's figure. With the ranges first set in schema.py (reach 0.03-0.08,
pass conversion 0.005-0.02, show-up 0.5-0.9, conference conversion 0.08-0.3) the means are
6.7 %, 16.7 %, 0 % and 17.8 % above the modes, a pass's enrolments 24 % and a conference's
18 % above the plan's figure on average; the demo plan (Bắc Ninh, one week, 392.7 expected
enrolments) then sits at its P21 (band 351-624, mean 479), and a national plan of 40,000
stops at its P16. The band still contains the plan's figure only because the national
factor is shared: noise that averages out across places pulls a sum to its mean, so with
independent draws the demo's conference band (189-215) lies wholly above the plan (171).
Two consequences: "expected enrolments" in the plan would not be the expected value of
this model, and the solver, which maximises the plan's figure, would undervalue passes
against conferences by 1.244 / 1.178 - 1 = 5.6 %. Ranges symmetric about the scenario's
rates remove both: the mean of each rate is then its mode, the rates of a product are
independent, so a pass's and a conference's mean figure is the plan's figure (while no cap
binds), and the band contains the plan's figure at any correlation (the mean of such a
bounded, mildly skewed sum lies well inside its P10-P90). Measured on the demo
with the ranges below: band 309-486, mean 393.8 against the plan's 392.7, plan at P51.
A scenario that puts its own rate at an end of its range gets a band wholly on one side of
the plan (`Band.contains_expected` is then False and `plan_percentile` near 0 or 1): that
is the honest answer to "I assumed the worst case", not an error.

Calibration against 2019 (data/facts/SOURCES.md, seed/campaign-launch-2020.txt)
-------------------------------------------------------------------------------
Superseded in part: the default rates and ranges are now derived from the whole campaign
record (2019, early 2020 and the May 2022 month and launch day) in docs/rates.md: pass
conversion 0.005 (range 0.0025-0.0075), conference conversion 0.10 (range 0.067-0.133),
reach share and show-up as below. The 2019 arithmetic that follows is one part of it.

The figures: in 2019 Vietnam Post held 14,000 conferences and "thereby" over 276,000 people
joined voluntary social insurance; nationally the scheme grew by 296,700 to about 574,000;
Jan-Apr 2020 brought 48,012 through Vietnam Post (12,000 a month under COVID, against
23,000 a month in 2019). The planner's target people are the 20,300,000 informal workers
less the 574,000 insured, 19.7 million.

What they imply per conference: 276,000 / 14,000 = 19.7 new participants per conference
IF every one of them is credited to a conference. That is a ceiling, not an estimate: the
276,000 came through every channel (52,200 agents going door to door, 37,300 collection
establishments, mass media) over a whole year, include people who would have joined
anyway, and were counted without COVID rules. 2019's conference sizes are not reported.
In the planner a conference's invited is capped by its hall: 80 seats in a district post
office hall and 30 in a commune's at 1 m2 per person (assumed areas, data/geo/README.md).
At the scenario's rates an 80-seat conference yields 80 x 0.7 x 0.15 = 8.4 enrolments
(43 % of the ceiling) and a 30-seat one 3.15. The best case of an 80-seat hall must stay under the
ceiling: 80 x 0.9 x conversion <= 19.7 gives conversion <= 0.27, so the conference
conversion's range should end at or below 0.27: 0.22 (symmetric about 0.15) gives a best
case of 15.8, the worst case 80 x 0.5 x 0.08 = 3.2 (16 % of the ceiling), and a band of
6.0-10.9 per 80-seat conference. Show-up 0.5-0.9 has no 2019 figure; it is symmetric about
0.7 and stays.
For passes there is no 2019 figure at all, only the base rate: 296,700 joined in 2019 out
of about 19.7 million target people, 1.5 % a year through every channel. A pass converting
1.5 % of those it reaches would do in one hearing what every channel does in a year: that
is the top of the pass conversion's range, and 0.005 - 0.015 is symmetric about the
scenario's 0.01. Reach (5 % of a commune's target people on a first pass, about 100 people
in a commune of 10,000) has no figure either: 0.03 - 0.07, symmetric about 0.05.
So the recommended defaults are reach_share 0.03-0.07, pass conversion 0.005-0.015,
show-up 0.5-0.9 and conference conversion 0.08-0.22.

A scenario that sets a rate but not its range (or a sweep that varies the rate) gets the
default range scaled to its rate: the same relative width below and above, clipped to
[0, 1] (`planner.scenario.schema.range_around`, which argues the choice). reach_share 0.1
gets 0.06-0.14, show-up 0.9 gets 0.643-1. The scaled range stays symmetric about the rate,
so the band stays centred on the plan's figure, until it is clipped at 1. A scenario that
sets both a rate and its range must make the range contain the rate (the schema says so in
one line, naming both fields).

What this band is not
---------------------
It is the spread from four rates only. It leaves out the estimated data (target people
per commune, hall areas, post office positions, travel speeds), the 2019-to-2025 boundary
changes, whether teams keep to the plan, and COVID rules changing mid-campaign: each can
move the result as much as the rates. Its P10 is not a guaranteed minimum: it is what the
stated ranges and correlations imply, and those are judgement, argued above.

A risk-aware reading (the solver is unchanged)
----------------------------------------------
`TurnoutBand.pass_enrolments` and `conference_enrolments` give each channel's band. On the
demo, P10 / plan figure is 0.66 for passes and 0.74 for conferences with the recommended
ranges (0.74 and 0.81 with the first): a plan maximising its P10 instead of its expected
enrolments would weight an expected conference enrolment 9-12 % above a pass enrolment,
shift team time towards conferences where a team can hold one, and, because the two
channels' rates are independent, keep a mix of both rather than put everything on one. Each
conference's P10 is in conference_band.csv. Near its cap, a conference cannot gain from a
high show-up because the plan invites no more than the seats: inviting seats / show-up (114
for an 80-seat hall) would raise its expected enrolments from 9.9 to 13.4 (means of the
ranges first set) and even its P10 from 6.4 to 8.9, but in half of the draws more people
would come than the COVID cap or the hall allows, and some would be turned away. That is a
rule the scenario's owner decides, not a figure the planner should optimise silently.

Speed (measured on a 2-core machine shared with other work, load average 3-5)
-----------------------------------------------------------------------------
2,000 draws: the demo plan (319 stops) in 0.04 s; a national plan of 40,194 stops (5,166
conferences, 63 provinces) in 0.75 s of CPU (1.5-1.8 s wall under that load), 84 MB peak
for the whole process; a worst case of 25,830 stops, all conferences, in 3.7 s of CPU. The
cost is draws x conferences (passes collapse to province sums by (3)), 128 conferences at a
time in float32.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from planner.plan import Plan, Stop
from planner.rules.reach import conference_attendance, expected_enrolments
from planner.rules.seats import capped_seats
from planner.scenario.schema import Scenario

__all__ = [
    "CONFERENCE_BAND_COLUMNS",
    "DEFAULT_CORRELATION",
    "Band",
    "ConferenceBand",
    "Correlation",
    "ProvinceBand",
    "RateRange",
    "TurnoutBand",
    "band_summary",
    "conference_band_rows",
    "normal_cdf",
    "rate_ranges",
    "triangular_quantile",
    "turnout_band",
    "write_conference_band_csv",
]

#: Columns of conference_band.csv, one row per planned conference.
CONFERENCE_BAND_COLUMNS: Final = (
    "province_code",
    "team_id",
    "date",
    "venue_id",
    "expected_enrolments",
    "p10",
    "p50",
    "p90",
)

#: Conferences handled at once: 1 MB per float32 array at 2,000 draws, which stays in cache
#: (measured on the national plan: 1.5 s wall at 128 at a time, 2.1 s at 1,024).
_CONFERENCE_CHUNK: Final = 128
#: At most this many (conference, draw) cells in one chunk: 128 conferences at 2,000 draws.
#: Many more draws make the chunks smaller, so memory stays bounded (about 1 MB an array).
_CHUNK_CELLS: Final = 128 * 2000
#: Size of the reference sample behind each conference's own band, in multiples of the draws,
#: but no more than _REFERENCE_MAX pairs (16 MB an array) unless the draws themselves are more.
_REFERENCE_MULTIPLE: Final = 16
_REFERENCE_MAX: Final = 2_000_000
#: Relative tolerance when comparing a draw with the plan's own figure (float rounding).
_TOLERANCE: Final = 1e-9


# --- values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRange:
    """One uncertain rate: its range [low, high] and its mode, the scenario's own value."""

    name: str  # the field of [uncertainty]: pass_reach_share, pass_conversion, ...
    low: float
    mode: float
    high: float


@dataclass(frozen=True)
class Correlation:
    """How much of each rate's uncertainty is shared, as shares of its normal-score variance.

    ``national``: common to the whole country in a draw (the assumption itself is wrong);
    ``province``: common to one province (its economy, its officials, its teams);
    the rest (``conference``) belongs to one conference (its day, its invitations). Passes
    have no level of their own: their share of the rest is added to the province's (see the
    module docstring, 2).
    """

    national: float = 0.6
    province: float = 0.2

    def __post_init__(self) -> None:
        if self.national < 0 or self.province < 0 or self.national + self.province > 1 + 1e-12:
            raise ValueError(
                "correlation shares must be >= 0 with national + province <= 1, got "
                f"national={self.national}, province={self.province}"
            )

    @property
    def conference(self) -> float:
        """The share of a conference rate's variance that is the conference's own."""
        return max(0.0, 1.0 - self.national - self.province)


DEFAULT_CORRELATION: Final = Correlation()


@dataclass(frozen=True)
class Band:
    """A figure over the Monte Carlo draws, beside the plan's own (expected) value."""

    expected: float  # the plan's figure, at the scenario's own rates
    p10: float
    p50: float
    p90: float
    mean: float
    plan_percentile: float  # share of draws below the plan's figure (0.3 = its P30)

    @property
    def contains_expected(self) -> bool:
        """P10 <= the plan's figure <= P90 (up to float rounding)."""
        slack = _TOLERANCE * max(1.0, abs(self.expected))
        return self.p10 - slack <= self.expected <= self.p90 + slack


@dataclass(frozen=True)
class ProvinceBand:
    province_code: str
    enrolments: Band
    people_reached: Band


@dataclass(frozen=True)
class ConferenceBand:
    """The band of one planned conference, keyed by (team_id, date, venue_id)."""

    province_code: str
    team_id: str
    date: dt.date
    venue_id: str
    invited: int
    seat_limit: int | None  # min(gathering cap, seats by hall area); None: no limit known
    attendance: Band
    enrolments: Band


@dataclass(frozen=True)
class TurnoutBand:
    """P10 / P50 / P90 of a plan's enrolments and reach: whole plan, provinces, conferences."""

    draws: int
    seed: int
    rates: tuple[RateRange, ...]
    correlation: Correlation
    enrolments: Band
    people_reached: Band
    pass_enrolments: Band  # the passes' share of `enrolments`
    conference_enrolments: Band  # the conferences' share of `enrolments`
    provinces: tuple[ProvinceBand, ...]
    conferences: tuple[ConferenceBand, ...]

    def conference(self, team_id: str, date: dt.date, venue_id: str) -> ConferenceBand:
        """The band of the conference `team_id` holds at `venue_id` on `date`."""
        for conference in self.conferences:
            if (conference.team_id, conference.date, conference.venue_id) == (
                team_id,
                date,
                venue_id,
            ):
                return conference
        raise KeyError((team_id, date, venue_id))


# --- the rates and their distributions ---------------------------------------------------


def rate_ranges(scenario: Scenario) -> dict[str, RateRange]:
    """The four uncertain rates of `scenario`, each with its range and its mode.

    The mode is the value the plan was computed with, so the plan's figure is the band's
    most likely single outcome; the schema already checks that each range contains it.
    """
    ranges = scenario.uncertainty
    modes = {
        "pass_reach_share": scenario.propaganda.reach_share,
        "pass_conversion": scenario.propaganda.conversion,
        "conference_show_up": scenario.conferences.show_up,
        "conference_conversion": scenario.conferences.conversion,
    }
    return {
        name: RateRange(
            name, float(getattr(ranges, name)[0]), mode, float(getattr(ranges, name)[1])
        )
        for name, mode in modes.items()
    }


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """Phi(z), the standard normal distribution function, elementwise, in z's float type.

    Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7, far below what 2,000 draws
    resolve; numpy has no erf and the project does not depend on scipy): for x = |z| / sqrt 2,
    erfc(x) ~ (a1 t + a2 t^2 + ... + a5 t^5) exp(-x^2) with t = 1 / (1 + p x), and
    Phi(z) = 1 - erfc(x) / 2 for z >= 0, erfc(x) / 2 below. Written in place: the arrays are
    conferences x draws, and memory traffic is what costs.
    """
    x = np.abs(z)
    x *= 1.0 / math.sqrt(2.0)
    t = x * 0.3275911
    t += 1.0
    np.reciprocal(t, out=t)
    tail = t * 1.061405429
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        tail += coefficient
        tail *= t
    np.square(x, out=x)
    np.negative(x, out=x)
    np.exp(x, out=x)
    tail *= x
    tail *= 0.5  # erfc(|z| / sqrt 2) / 2 = Phi(-|z|)
    np.clip(tail, 0.0, 0.5, out=tail)
    return np.where(z >= 0, 1.0 - tail, tail).astype(z.dtype, copy=False)


def triangular_quantile(u: np.ndarray, rate: RateRange) -> np.ndarray:
    """The rate at probability `u` of the triangular distribution (low, mode, high).

    F(mode) = (mode - low) / (high - low); below it x = low + sqrt(u (high - low)(mode - low)),
    above it x = high - sqrt((1 - u)(high - low)(high - mode)). A range with low = high gives
    that value exactly (in float64), whatever u.
    """
    low, mode, high = rate.low, rate.mode, rate.high
    width = high - low
    if width <= 0:
        return np.full(u.shape, low, dtype=float)
    below = u * (width * (mode - low))
    np.sqrt(below, out=below)
    below += low
    above = 1.0 - u
    above *= width * (high - mode)
    np.sqrt(above, out=above)
    np.subtract(high, above, out=above)
    return np.where(u < (mode - low) / width, below, above)


def _shared_scores(
    rng: np.random.Generator, draws: int, n_provinces: int, national: float, province: float
) -> np.ndarray:
    """Normal scores (provinces, draws): sqrt(national) Z_nation + sqrt(province) Z_province.

    One Z_nation per draw, one Z_province per province and draw, all independent N(0, 1).
    """
    z_nation = rng.standard_normal(draws)
    z_province = rng.standard_normal((n_provinces, draws))
    return math.sqrt(national) * z_nation[None, :] + math.sqrt(province) * z_province


def _conference_rates(
    shared: np.ndarray,
    province: np.ndarray,
    rng: np.random.Generator,
    correlation: Correlation,
    rate: RateRange,
) -> np.ndarray:
    """One rate for each conference and draw (conferences x draws), module docstring (2).

    The score adds the conference's own sqrt(share) Z to its province's shared score; its
    variance is 1, so each conference's rate is exactly triangular. float32: 2,000 draws do
    not resolve more than 7 digits, and it halves the memory the arrays move.
    """
    own = rng.standard_normal((len(province), shared.shape[1]), dtype=np.float32)
    own *= np.float32(math.sqrt(correlation.conference))
    own += shared[province].astype(np.float32)
    return triangular_quantile(normal_cdf(own), rate)


# --- the plan as columns -----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _PlanColumns:
    """What the Monte Carlo needs from a plan, province by province, as arrays."""

    province_codes: tuple[str, ...]
    pass_people: np.ndarray  # (P,) people reached by the province's passes
    pass_enrolments: np.ndarray  # (P,) their expected enrolments (the plan's figures)
    conference_people: np.ndarray  # (P,) expected conference attendance (the plan's)
    conference_enrolments: np.ndarray  # (P,)
    conferences: tuple[tuple[str, str, dt.date, Stop], ...]  # province, team, date, stop
    conference_province: np.ndarray  # (J,) province index of each conference, ascending
    invited: np.ndarray  # (J,) float
    seat_limit: np.ndarray  # (J,) float, inf where no limit is known


def _seat_limit(stop: Stop) -> int | None:
    """min(gathering cap, seats by hall area): what the plan caps invitations at
    (`planner.rules.seats.capped_seats`; the cap alone when the seats are not written)."""
    if stop.seats_by_area is None:
        return stop.gathering_cap
    return capped_seats(stop.seats_by_area, stop.gathering_cap)


def _plan_columns(plan: Plan) -> _PlanColumns:
    """Sum the passes per province and list the conferences, in the plan's order."""
    n = len(plan.provinces)
    pass_people, pass_enrol = np.zeros(n), np.zeros(n)
    conf_people, conf_enrol = np.zeros(n), np.zeros(n)
    conferences: list[tuple[str, str, dt.date, Stop]] = []
    conference_province: list[int] = []
    for p, province in enumerate(plan.provinces):
        stops = [(route, stop) for route in province.routes for stop in route.stops]
        passes = [stop for _, stop in stops if stop.kind == "pass"]
        held = [(route, stop) for route, stop in stops if stop.kind == "conference"]
        pass_people[p] = math.fsum(s.people_reached for s in passes)
        pass_enrol[p] = math.fsum(s.expected_enrolments for s in passes)
        conf_people[p] = math.fsum(s.people_reached for _, s in held)
        conf_enrol[p] = math.fsum(s.expected_enrolments for _, s in held)
        for route, stop in held:
            if stop.invited is None or stop.venue_id is None:
                raise ValueError(
                    f"plan {plan.scenario}, province {province.province_code}, team "
                    f"{route.team_id} on {route.date}: a conference stop needs invited and "
                    "venue_id"
                )
            conferences.append((province.province_code, route.team_id, route.date, stop))
            conference_province.append(p)
    limits = [_seat_limit(stop) for *_, stop in conferences]
    return _PlanColumns(
        province_codes=tuple(p.province_code for p in plan.provinces),
        pass_people=pass_people,
        pass_enrolments=pass_enrol,
        conference_people=conf_people,
        conference_enrolments=conf_enrol,
        conferences=tuple(conferences),
        conference_province=np.array(conference_province, dtype=np.int64),
        invited=np.array([float(stop.invited or 0) for *_, stop in conferences]),
        seat_limit=np.array([math.inf if x is None else float(x) for x in limits]),
    )


# --- the Monte Carlo ---------------------------------------------------------------------


def _band(values: np.ndarray, expected: float) -> Band:
    """P10 / P50 / P90, mean and the plan's percentile of one figure's draws (1-D)."""
    if values.size == 0:
        return Band(expected, expected, expected, expected, expected, 0.0)
    p10, p50, p90 = np.quantile(values, (0.1, 0.5, 0.9))
    below = values < expected - _TOLERANCE * max(1.0, abs(expected))
    return Band(
        expected=float(expected),
        p10=float(p10),
        p50=float(p50),
        p90=float(p90),
        mean=float(values.mean()),
        plan_percentile=float(below.mean()),
    )


def _bands_by_row(values: np.ndarray, expected: np.ndarray) -> list[Band]:
    """One Band per row of `values` (rows x draws): the quantiles in one vectorised call."""
    if values.shape[0] == 0:
        return []
    quantiles = np.quantile(values, (0.1, 0.5, 0.9), axis=1)
    means = values.mean(axis=1)
    slack = _TOLERANCE * np.maximum(1.0, np.abs(expected))
    below = (values < (expected - slack)[:, None]).mean(axis=1)
    return [
        Band(
            float(expected[j]),
            float(quantiles[0, j]),
            float(quantiles[1, j]),
            float(quantiles[2, j]),
            float(means[j]),
            float(below[j]),
        )
        for j in range(values.shape[0])
    ]


def _chunks(n: int, size: int) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


def _add_by_province(totals: np.ndarray, per_conference: np.ndarray, province: np.ndarray) -> None:
    """Add rows of `per_conference` (J x draws) into `totals` (P x draws) by province.

    Conferences come in province order, so each province's rows are one run: np.add.reduceat
    sums the runs without a Python loop over conferences.
    """
    starts = np.flatnonzero(np.r_[True, province[1:] != province[:-1]])
    totals[province[starts]] += np.add.reduceat(per_conference, starts, axis=0)


def _pass_draws(
    columns: _PlanColumns,
    rates: dict[str, RateRange],
    rng: np.random.Generator,
    draws: int,
    correlation: Correlation,
) -> tuple[np.ndarray, np.ndarray]:
    """People reached and enrolments of each province's passes in each draw (P x draws).

    (2) Each rate has a national and a province score, the province taking the passes'
    local share too. (3) Passes are linear in both rates, so the province's sums scale
    exactly, and at the scenario's own rates both factors are exactly 1 (reach_share > 0 by
    the schema; a conversion of 0 is scaled from the people reached instead).
    """
    n_provinces = len(columns.province_codes)
    province_share = 1.0 - correlation.national
    reach, conversion = (
        triangular_quantile(
            normal_cdf(
                _shared_scores(rng, draws, n_provinces, correlation.national, province_share)
            ),
            rates[name],
        )
        for name in ("pass_reach_share", "pass_conversion")
    )
    reach_factor = reach / rates["pass_reach_share"].mode
    people = reach_factor * columns.pass_people[:, None]
    point_conversion = rates["pass_conversion"].mode
    if point_conversion <= 0:
        return people, expected_enrolments(people, conversion)
    enrolments = reach_factor * (conversion / point_conversion)
    enrolments *= columns.pass_enrolments[:, None]
    return people, enrolments


def _conference_draws(
    columns: _PlanColumns,
    rates: dict[str, RateRange],
    streams: tuple[np.random.Generator, np.random.Generator, np.random.Generator],
    draws: int,
    correlation: Correlation,
    chunk: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Attendance and enrolments of each province's conferences in each draw (P x draws).

    (2) National and province scores come from the shared stream, each conference's own
    score from one stream per rate, consumed conference by conference, so the draws do not
    depend on `chunk`. (3) attendance = min(invited x show-up, seat limit), enrolments =
    attendance x conversion, summed into the conference's province.
    """
    shared_stream, show_up_stream, conversion_stream = streams
    n_provinces = len(columns.province_codes)
    show_up_shared, conversion_shared = (
        _shared_scores(
            shared_stream, draws, n_provinces, correlation.national, correlation.province
        )
        for _ in range(2)
    )
    people = np.zeros((n_provinces, draws))
    enrolments = np.zeros((n_provinces, draws))
    for part in _chunks(len(columns.conferences), max(1, chunk)):
        province = columns.conference_province[part]
        show_up = _conference_rates(
            show_up_shared, province, show_up_stream, correlation, rates["conference_show_up"]
        )
        conversion = _conference_rates(
            conversion_shared,
            province,
            conversion_stream,
            correlation,
            rates["conference_conversion"],
        )
        attendance = np.minimum(
            conference_attendance(columns.invited[part, None], show_up),
            columns.seat_limit[part, None],
        )
        _add_by_province(people, attendance, province)
        _add_by_province(enrolments, expected_enrolments(attendance, conversion), province)
    return people, enrolments


def _conference_bands(
    columns: _PlanColumns, rates: dict[str, RateRange], rng: np.random.Generator, samples: int
) -> list[ConferenceBand]:
    """Each conference's own band, from one reference sample of (show-up, conversion) pairs.

    Under (2) every conference's pair has the same distribution: each score has variance 1,
    so its show-up and its conversion are exactly triangular, and independent of each other.
    A conference's band therefore depends only on its invited and its seat limit, and is
    read from one sample of `samples` pairs shared by all conferences: two alike conferences
    get the same band, more precise than their own 2,000 draws would give, and without a
    sort per conference (which was two thirds of the run time of a national plan).
    When invited <= seat limit (always in a plan made by evaluate: invitations are capped at
    the seats, and show-up <= 1), attendance = invited x show-up and every quantile scales
    with invited; otherwise the sample is evaluated for that (invited, limit) pair.
    """
    show_up = triangular_quantile(rng.random(samples), rates["conference_show_up"])
    conversion = triangular_quantile(rng.random(samples), rates["conference_conversion"])
    per_invited = expected_enrolments(show_up, conversion)  # the enrolments of one invited
    scaled = {
        "attendance": _ScaledBand.of(show_up),
        "enrolments": _ScaledBand.of(per_invited),
    }
    capped: dict[tuple[int, float], tuple[np.ndarray, np.ndarray]] = {}
    bands: list[ConferenceBand] = []
    for (code, team_id, date, stop), invited, limit in zip(
        columns.conferences, columns.invited, columns.seat_limit, strict=True
    ):
        if invited <= limit:
            attendance = scaled["attendance"].band(invited, stop.people_reached)
            enrolments = scaled["enrolments"].band(invited, stop.expected_enrolments)
        else:
            key = (int(invited), float(limit))
            if key not in capped:
                seated = np.minimum(conference_attendance(invited, show_up), limit)
                capped[key] = (seated, expected_enrolments(seated, conversion))
            attendance = _band(capped[key][0], stop.people_reached)
            enrolments = _band(capped[key][1], stop.expected_enrolments)
        bands.append(
            ConferenceBand(
                province_code=code,
                team_id=team_id,
                date=date,
                venue_id=str(stop.venue_id),
                invited=int(invited),
                seat_limit=_seat_limit(stop),
                attendance=attendance,
                enrolments=enrolments,
            )
        )
    return bands


@dataclass(frozen=True, eq=False)
class _ScaledBand:
    """The band of `scale x X` for any scale >= 0, from one sorted sample of X."""

    sorted_sample: np.ndarray
    quantiles: tuple[float, float, float]
    mean: float

    @classmethod
    def of(cls, sample: np.ndarray) -> _ScaledBand:
        ordered = np.sort(sample)
        p10, p50, p90 = np.quantile(ordered, (0.1, 0.5, 0.9))
        return cls(ordered, (float(p10), float(p50), float(p90)), float(ordered.mean()))

    def band(self, scale: float, expected: float) -> Band:
        """Quantiles and mean scale with `scale`; the plan's percentile is a binary search."""
        scale = float(scale)
        p10, p50, p90 = (scale * q for q in self.quantiles)
        threshold = expected - _TOLERANCE * max(1.0, abs(expected))
        if scale > 0:
            below = np.searchsorted(self.sorted_sample, threshold / scale, side="left")
            share = float(below) / self.sorted_sample.size
        else:
            share = 1.0 if threshold > 0 else 0.0
        return Band(float(expected), p10, p50, p90, scale * self.mean, share)


def turnout_band(
    plan: Plan,
    scenario: Scenario,
    *,
    correlation: Correlation = DEFAULT_CORRELATION,
    conference_chunk: int = _CONFERENCE_CHUNK,
) -> TurnoutBand:
    """P10 / P50 / P90 and mean of `plan`'s enrolments and reach under `scenario.uncertainty`.

    Draws are seeded by ``scenario.uncertainty.seed`` (numpy PCG64 streams spawned from one
    SeedSequence: one for the national and province scores, one for each conference rate's
    own scores), so the same plan and scenario always give the same band, whatever
    `conference_chunk` (which only bounds memory, and is made smaller for many draws so that
    a chunk holds at most 256,000 cells). The model is the module docstring's, 1-4.
    """
    settings = scenario.uncertainty
    draws = settings.draws
    rates = rate_ranges(scenario)
    columns = _plan_columns(plan)
    shared_stream, show_up_stream, conversion_stream, reference_stream = (
        np.random.Generator(np.random.PCG64(child))
        for child in np.random.SeedSequence(settings.seed).spawn(4)
    )

    pass_people, pass_enrolments = _pass_draws(columns, rates, shared_stream, draws, correlation)
    conf_people, conf_enrolments = _conference_draws(
        columns,
        rates,
        (shared_stream, show_up_stream, conversion_stream),
        draws,
        correlation,
        min(conference_chunk, max(1, _CHUNK_CELLS // draws)),
    )
    conference_bands = _conference_bands(
        columns,
        rates,
        reference_stream,
        max(draws, min(draws * _REFERENCE_MULTIPLE, _REFERENCE_MAX)),
    )

    # (4) Bands: provinces, channels and the whole plan.
    province_enrolments = pass_enrolments + conf_enrolments  # (P, draws)
    province_people = pass_people + conf_people
    expected_enrolments = columns.pass_enrolments + columns.conference_enrolments
    expected_people = columns.pass_people + columns.conference_people
    provinces = tuple(
        ProvinceBand(code, enrolled, people)
        for code, enrolled, people in zip(
            columns.province_codes,
            _bands_by_row(province_enrolments, expected_enrolments),
            _bands_by_row(province_people, expected_people),
            strict=True,
        )
    )
    return TurnoutBand(
        draws=draws,
        seed=settings.seed,
        rates=tuple(rates.values()),
        correlation=correlation,
        enrolments=_band(province_enrolments.sum(axis=0), math.fsum(expected_enrolments.tolist())),
        people_reached=_band(province_people.sum(axis=0), math.fsum(expected_people.tolist())),
        pass_enrolments=_band(
            pass_enrolments.sum(axis=0), math.fsum(columns.pass_enrolments.tolist())
        ),
        conference_enrolments=_band(
            conf_enrolments.sum(axis=0), math.fsum(columns.conference_enrolments.tolist())
        ),
        provinces=provinces,
        conferences=tuple(conference_bands),
    )


# --- outputs -----------------------------------------------------------------------------


def _band_dict(band: Band, draws: int, seed: int) -> dict[str, Any]:
    return {
        "expected": round(band.expected, 2),
        "p10": round(band.p10, 2),
        "p50": round(band.p50, 2),
        "p90": round(band.p90, 2),
        "mean": round(band.mean, 2),
        "plan_percentile": round(band.plan_percentile, 3),
        "draws": draws,
        "seed": seed,
    }


def band_summary(band: TurnoutBand) -> dict[str, Any]:
    """The band's entries for summary.json, rounded so that one plan gives the same bytes.

    Whole plan (enrolments and reach), per province (province_code -> the same keys), per
    channel (passes, conferences), and the assumptions: each rate's range and mode and the
    correlation shares.
    """

    def entry(item: Band) -> dict[str, Any]:
        return _band_dict(item, band.draws, band.seed)

    return {
        "expected_enrolments_band": entry(band.enrolments),
        "expected_reach_band": entry(band.people_reached),
        "expected_enrolments_band_by_province": {
            p.province_code: entry(p.enrolments) for p in band.provinces
        },
        "expected_reach_band_by_province": {
            p.province_code: entry(p.people_reached) for p in band.provinces
        },
        "expected_enrolments_band_by_channel": {
            "passes": entry(band.pass_enrolments),
            "conferences": entry(band.conference_enrolments),
        },
        "uncertainty": {
            "rates": {r.name: {"low": r.low, "mode": r.mode, "high": r.high} for r in band.rates},
            "distribution": "triangular(low, mode, high), mode = the scenario's own rate",
            "correlation": {
                "national": band.correlation.national,
                "province": band.correlation.province,
                "conference": round(band.correlation.conference, 6),
            },
        },
    }


def conference_band_rows(band: TurnoutBand) -> list[dict[str, Any]]:
    """One row per conference, sorted by province, date, team and venue."""
    ordered: Sequence[ConferenceBand] = sorted(
        band.conferences, key=lambda c: (c.province_code, c.date, c.team_id, c.venue_id)
    )
    return [
        {
            "province_code": c.province_code,
            "team_id": c.team_id,
            "date": c.date.isoformat(),
            "venue_id": c.venue_id,
            "expected_enrolments": f"{c.enrolments.expected:.2f}",
            "p10": f"{c.enrolments.p10:.2f}",
            "p50": f"{c.enrolments.p50:.2f}",
            "p90": f"{c.enrolments.p90:.2f}",
        }
        for c in ordered
    ]


def write_conference_band_csv(band: TurnoutBand, path: Path) -> None:
    """conference_band.csv: each conference's expected enrolments and its P10 / P50 / P90."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CONFERENCE_BAND_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(conference_band_rows(band))
