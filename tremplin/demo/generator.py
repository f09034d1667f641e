"""A national network of any size, for load tests and benchmarks (``manage.py generate_network``).

Rows are produced by plain Python loops (seeded: the same arguments give the same network) and written
set-wise: on PostgreSQL through ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``), the big tables' indexes and
foreign keys dropped first and rebuilt after the load, in the same transaction; on SQLite (tests, small N)
with ``executemany`` in chunks. Nothing goes through the ORM row by row: only the few hundred territories and
network roles are created with the ORM and the lead's service.

Every value is produced already as text (the ``Sink`` formats dates, booleans, JSON and NULL for the
backend), so a row is one ``"\\t".join`` on PostgreSQL and one tuple on SQLite. What the generator writes
is what the application would have written: learning events in xAPI's shape with the module progress they
fold into (``progress.services._apply``'s rules), completed diagnostics with their results and completion
event, simulator attempts with their two events, workshops with attendance, La Coop's accompaniment records.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import math
import random
import tempfile
import time
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from tremplin.accounts.codes import CODE_ALPHABET, CODE_LENGTH
from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User, stored_person_key
from tremplin.catalog.models import Module, Step
from tremplin.coaching.enums import THEME_LABELS, AccompanimentType, Autonomie, Genre, StatutSocial, TrancheAge
from tremplin.coaching.models import Accompaniment, Attendance, Workshop
from tremplin.diagnostic.engine import LEVELS, level_of
from tremplin.diagnostic.enums import SessionMode, SessionStatus
from tremplin.diagnostic.models import Competence, DiagnosticSession
from tremplin.organisations.enums import MembershipRole, NetworkRole, OrganisationType, TerritoryKind
from tremplin.organisations.models import Commune, Department, Enrolment, Membership, Organisation, Region, Territory
from tremplin.organisations.services import network_membership_add
from tremplin.progress.enums import ObjectType, ProgressStatus, Verb
from tremplin.progress.models import LearningEvent, ModuleProgress
from tremplin.simulators.enums import Mode, Outcome
from tremplin.simulators.models import Simulator, SimulatorAttempt

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAY = 86_400
# Above this many rows, a PostgreSQL table is loaded without its indexes and foreign keys (rebuilt after).
BULK_REBUILD_ROWS = 50_000

# Proportions (per learner unless said otherwise), close to what a year of La Coop's structures records.
AUTONOMOUS_SHARE = 0.15   # learning alone, followed by no structure (counted nationally only)
SHARED_SHARE = 0.05       # followed by two structures
INACTIVE_SHARE = 0.08     # enrolled, never started
DIAGNOSED_SHARE = 0.25    # took the diagnostic once…
RETAKE_SHARE = 0.35       # …and, among them, a second time later
SIMULATOR_SHARE = 0.20    # trained on a simulator (1 to 3 attempts)
OFFLINE_SHARE = 0.03      # their last session was synced days later (late events)
RECORDS_PER_LEARNER = 0.2  # individual accompaniment records
LEARNERS_PER_WORKSHOP = 12
HISTORY_DAYS = 730

FIRST_NAMES = ["Samia", "Karim", "Monique", "Oleksandr", "Fatou", "Jean", "Inès", "Mehdi", "Josiane", "Thierry",
               "Aïcha", "Lucas", "Odette", "Mamadou", "Sofia", "Bernard", "Yasmine", "Dylan", "Huguette", "Ali",
               "Nathalie", "Kevin", "Lina", "Marcel", "Awa", "Enzo", "Maryse", "Rayan", "Chantal", "Ibrahim"]
LAST_NAMES = ["Martin", "Bernard", "Diallo", "Petit", "Nguyen", "Moreau", "Lefebvre", "Haddad", "Garcia", "Roux"]
STRUCTURE_TYPES = [(OrganisationType.EPN, "Espace numérique"), (OrganisationType.ASSO, "Association Clic"),
                   (OrganisationType.CCAS, "CCAS"), (OrganisationType.BIB, "Médiathèque"),
                   (OrganisationType.CSC, "Centre social"), (OrganisationType.MSAP, "France Services"),
                   (OrganisationType.TIERS_LIEUX, "Tiers-lieu")]
WORKSHOP_TITLES = {"email": "Envoyer un e-mail avec une pièce jointe",
                   "prendre_en_main_du_materiel": "Prendre en main son smartphone",
                   "navigation_sur_internet": "Chercher une information sur internet",
                   "securite_numerique": "Reconnaître une arnaque",
                   "aide_aux_demarches_administratives": "Créer son compte sur un site public",
                   "insertion_professionnelle": "Postuler à une offre d'emploi en ligne",
                   "banque_et_achats_en_ligne": "Payer en ligne sans risque",
                   "sante": "Prendre rendez-vous chez le médecin en ligne"}


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    sign_ins: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, what they are)
    staff_password: str = ""
    learner_pin: str = ""
    sample_codes: list[str] = field(default_factory=list)


class Sink:
    """Writes rows of text values to tables: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.NULL = "\\N" if self.postgres else None
        self.TRUE, self.FALSE = ("t", "f") if self.postgres else ("1", "0")
        self._suffix = "+00" if self.postgres else ""
        self._days: dict[int, str] = {}
        # "HH:MM:SS" (and the UTC offset) of every second of a day: formatting an instant is two lookups.
        self._clock = [f"{r // 3600:02d}:{r % 3600 // 60:02d}:{r % 60:02d}{self._suffix}" for r in range(DAY)]
        self._files: dict[type[models.Model], tuple] = {}
        self.rows: dict[str, int] = {}

    # -- values ------------------------------------------------------------------------------------
    def ts(self, epoch: int) -> str:
        """A UTC instant (whole seconds since the epoch) as the backend stores it."""
        day, rest = divmod(epoch, DAY)
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat() + " "
        return text + self._clock[rest]

    def b(self, value: bool | None) -> str | None:
        return self.NULL if value is None else (self.TRUE if value else self.FALSE)

    def json(self, value) -> str:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        return text.replace("\\", "\\\\") if self.postgres else text

    def opt(self, value) -> str | None:
        return self.NULL if value is None else str(value)

    # -- tables --------------------------------------------------------------------------------------
    def _constant(self, f: models.Field):
        value = f.get_default()  # "" for a CharField without default, None when nullable
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            value = timezone.now()
        if value is None:
            return self.NULL
        if not self.postgres:
            return f.get_db_prep_save(value, connection)
        if isinstance(f, models.BooleanField):
            return self.b(value)
        if isinstance(f, models.JSONField):
            return self.json(value)
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat()
        return str(value)

    def columns(self, model: type[models.Model], given: list[str]) -> tuple[list[str], list]:
        """All columns to write: ``given`` (attnames) then every other concrete column with its default."""
        rest, constants = [], []
        for f in model._meta.concrete_fields:
            if f.attname in given or isinstance(f, models.AutoField):
                continue
            rest.append(f.column)
            constants.append(self._constant(f))
        columns = {f.attname: f.column for f in model._meta.concrete_fields}
        return [columns[a] for a in given] + rest, constants

    @contextmanager
    def table(self, model: type[models.Model], given: list[str]) -> Iterator[Callable[[tuple], None]]:
        """``with sink.table(Model, [attnames]) as add: add(row)`` — rows of text values in that order."""
        names, constants = self.columns(model, given)
        tail = tuple(constants)
        count = 0
        if self.postgres:
            handle = tempfile.TemporaryFile("w+", encoding="utf-8", buffering=1 << 20)
            joined_tail = ("\t" + "\t".join(tail)) if tail else ""
            lines: list[str] = []
            append = lines.append

            def add(row: tuple) -> None:
                nonlocal count
                count += 1
                append("\t".join(row) + joined_tail)
                if len(lines) >= 20_000:
                    handle.write("\n".join(lines) + "\n")
                    lines.clear()
            yield add
            if lines:
                handle.write("\n".join(lines) + "\n")
            handle.flush()
            self._files.setdefault(model, [])
            self._files[model].append((names, handle))
        else:
            buffer: list[tuple] = []
            quoted = ", ".join(f'"{n}"' for n in names)
            sql = f'INSERT INTO "{model._meta.db_table}" ({quoted}) VALUES ({", ".join(["%s"] * len(names))})'

            def add(row: tuple) -> None:
                nonlocal count
                count += 1
                buffer.append(row + tail)
                if len(buffer) >= 2000:
                    with connection.cursor() as cursor:
                        cursor.executemany(sql, buffer)
                    buffer.clear()
            yield add
            if buffer:
                with connection.cursor() as cursor:
                    cursor.executemany(sql, buffer)
        self.rows[model._meta.db_table] = self.rows.get(model._meta.db_table, 0) + count

    def flush(self, models_in_order: list[type[models.Model]], timings: list[tuple[str, float]]) -> None:
        """PostgreSQL: COPY the spooled files, big tables without indexes and foreign keys (rebuilt after)."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            big = [m for m in models_in_order if self.rows.get(m._meta.db_table, 0) >= BULK_REBUILD_ROWS]
            saved = [_drop_indexes(cursor, m._meta.db_table) for m in big]
            for model in models_in_order:
                started = time.perf_counter()
                for names, handle in self._files.pop(model, []):
                    handle.seek(0)
                    columns = ", ".join(f'"{n}"' for n in names)
                    with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
                        while chunk := handle.read(1 << 20):
                            copy.write(chunk)
                    handle.close()
                timings.append((f"COPY {model._meta.db_table} ({self.rows.get(model._meta.db_table, 0):,} rows)",
                                time.perf_counter() - started))
            started = time.perf_counter()
            for statements in saved:
                for sql in statements:
                    cursor.execute(sql)
            if saved:
                timings.append(("index and foreign key rebuild", time.perf_counter() - started))
            started = time.perf_counter()
            for model in models_in_order:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
            timings.append(("ANALYZE", time.perf_counter() - started))


def _drop_indexes(cursor, table: str) -> list[str]:
    """Drop the table's indexes, unique and foreign-key constraints (and its primary key when no other table
    points at it); return the statements that rebuild them."""
    cursor.execute("""
        SELECT c.conname, c.contype, pg_get_constraintdef(c.oid),
               EXISTS (SELECT 1 FROM pg_constraint r WHERE r.confrelid = c.conrelid AND r.contype = 'f'
                       AND r.conrelid <> c.conrelid)
        FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.contype IN ('p', 'u', 'f')""", [table])
    constraints = [(name, kind, definition) for name, kind, definition, referenced in cursor.fetchall()
                   if not (kind == "p" and referenced)]
    cursor.execute("""
        SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""", [table])
    indexes = cursor.fetchall()
    for name, _kind, _definition in sorted(constraints, key=lambda c: c[1] != "f"):  # foreign keys first
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    rebuild = [definition for _name, definition in indexes]
    order = {"p": 0, "u": 1, "f": 2}
    rebuild += [f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
                for name, kind, definition in sorted(constraints, key=lambda c: order[c[1]])]
    return rebuild


# -- the network ------------------------------------------------------------------------------------------

@dataclass
class _Org:
    id: str
    department: str
    region: str
    commune: str
    staff: list[str]  # user ids (hex), the first is the admin
    learners: list[str] = field(default_factory=list)


@dataclass
class _ModulePlan:
    id: str
    track: int
    slug: str
    version: str
    steps: list[tuple[str, int, bool]]  # (slug, position, is_question)
    positions_max: int
    questions: int

    @property
    def full(self) -> int:
        return len(self.steps) + self.questions + 1


class Generator:
    def __init__(self, *, learners: int, events: int, structures: int | None, seed: int,
                 out: Callable[[str], None] = print, today: dt.date | None = None, rollups: bool = True,
                 days: int = HISTORY_DAYS) -> None:
        if learners < 1 or events < 0:
            raise ValueError("learners ≥ 1 and events ≥ 0")
        self.n_learners, self.n_events = learners, events
        self.n_structures = structures or max(3, learners // 200)
        self.seed = seed
        self.rollups = rollups
        self.rng = random.Random(seed)
        self.out = out
        self.today = today or timezone.localdate()
        self.first_day = self.today - dt.timedelta(days=max(days, 7) - 1)
        self.now = int(timezone.now().timestamp())
        self.sink = Sink()
        self.report = Report()
        self.domain = f"s{seed}.reseau.tremplin.fr"

    # helpers ----------------------------------------------------------------------------------------
    def _hex(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    @contextmanager
    def phase(self, name: str):
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        self.report.timings.append((name, seconds))
        self.out(f"  {name} : {seconds:.1f} s")

    def _instant(self, day: dt.date, hour: float) -> int:
        """A Paris wall-clock time on ``day`` as UTC epoch seconds."""
        h = int(hour)
        m = int((hour - h) * 60)
        moment = dt.datetime(day.year, day.month, day.day, h, m, tzinfo=PARIS)
        return int(moment.timestamp())

    def _day(self, lo: dt.date, hi: dt.date) -> dt.date:
        span = (hi - lo).days
        return lo + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    # reference data -------------------------------------------------------------------------------------
    def _reference(self) -> None:
        regions = {d.code: d.region_id for d in Department.objects.all()}
        self.communes: dict[str, list[tuple[str, int]]] = {}
        for code, department, population in Commune.objects.values_list("code", "department_id", "population"):
            self.communes.setdefault(department, []).append((code, max(population, 1)))
        self.departments = sorted(d for d in regions if d in self.communes)
        if not self.departments:
            raise ValueError("no geography: run load_geography first")
        self.region_of = regions
        steps: dict[int, list[tuple[str, int, bool]]] = {}
        for module_id, slug, position, is_question in (
                (s.module_id, s.slug, s.position, s.is_question)
                for s in Step.objects.filter(is_active=True).only("module_id", "slug", "position", "kind")
                .order_by("module_id", "position")):
            steps.setdefault(module_id, []).append((slug, position, is_question))
        self.modules = [
            _ModulePlan(str(m.pk), m.track_id, m.slug, m.content_version, steps[m.pk],
                        max(p for _s, p, _q in steps[m.pk]), sum(q for _s, _p, q in steps[m.pk]))
            for m in Module.objects.filter(is_active=True).order_by("track__order", "position") if steps.get(m.pk)]
        # A learner starts at the beginning of a track (the first module of one of them).
        self.track_starts = [i for i, m in enumerate(self.modules) if i == 0 or self.modules[i - 1].track != m.track]
        self.competences = list(Competence.objects.filter(is_active=True).values_list("slug", flat=True))
        self.simulators = list(Simulator.objects.filter(is_active=True).values_list("pk", "slug", "content_version"))
        self.themes = [str(t) for t in THEME_LABELS]
        self.existing_codes = set(User.objects.filter(kind=UserKind.LEARNER).values_list("username", flat=True))

    # phases -------------------------------------------------------------------------------------------------
    def run(self) -> Report:
        total = time.perf_counter()
        self.out(f"Réseau généré : {self.n_learners:,} apprenants, {self.n_events:,} événements, "
                 f"{self.n_structures:,} structures (graine {self.seed}).".replace(",", " "))
        with transaction.atomic():
            with self.phase("référentiels (géographie, contenus)"):
                self._reference()
                if User.objects.filter(username=f"national@{self.domain}").exists():
                    raise ValueError(f"a network was already generated with seed {self.seed}: choose another --seed")
            with self.phase("mots de passe (un seul calcul)"):
                self.report.staff_password = f"reseau-{self.rng.randrange(10**6):06d}"
                self.report.learner_pin = f"{self.rng.randrange(10_000):04d}"
                self.staff_hash = make_password(self.report.staff_password)
                self.learner_hash = make_password(self.report.learner_pin)
            with self.phase("structures et équipes (lignes)"):
                self._structures()
            with self.phase("territoires et rôles du réseau (ORM, quelques centaines)"):
                self._territories()
            with self.phase("apprenants et inscriptions (lignes)"):
                self._learners()
            with self.phase("activité : événements, progression, positionnements, simulateurs (lignes)"):
                self._activity()
            with self.phase("ateliers, présences, comptes-rendus (lignes)"):
                self._coaching()
            with self.phase("écriture (COPY)" if self.sink.postgres else "écriture (executemany)"):
                self.sink.flush([User, Organisation, Membership, Enrolment, LearningEvent, ModuleProgress,
                                 DiagnosticSession, SimulatorAttempt, Workshop, Attendance, Accompaniment],
                                self.report.timings)
        for name, seconds in self.report.timings:
            if name.startswith(("COPY", "index", "ANALYZE")):
                self.out(f"    {name} : {seconds:.1f} s")
        if self.sink.postgres and not connection.in_atomic_block:  # (tests run inside one: no VACUUM there)
            # The events in the order they were stored, as a live database appends them (the rows were written
            # learner by learner: a day's events scattered over the whole table, which made the nightly rollup's
            # read of a day's events 67 s instead of 2.4 s at 1M, docs/areas/scale.md).
            with self.phase("événements rangés par date d'enregistrement (CLUSTER)"), connection.cursor() as cursor:
                cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                               [LearningEvent._meta.db_table, "%USING btree (stored_at)"])
                (index,) = cursor.fetchone()
                cursor.execute(f'CLUSTER "{LearningEvent._meta.db_table}" USING "{index}"')
            # Outside the transaction: the visibility map, so that index-only scans read no heap (a freshly
            # loaded table has none: every index-only scan would fetch each row, as the rollups did).
            with self.phase("VACUUM ANALYZE des grandes tables"), connection.cursor() as cursor:
                for model in (User, Enrolment, LearningEvent, ModuleProgress, DiagnosticSession):
                    cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
        if self.rollups:
            with self.phase("agrégats statistiques (tous les jours)"):
                self.report.counts["rollup_days"] = rollups_all()
        self.report.counts.update(self.sink.rows)
        self.report.timings.append(("total", time.perf_counter() - total))
        self.out(f"  total : {time.perf_counter() - total:.1f} s")
        return self.report

    def _structures(self) -> None:
        rng, sink = self.rng, self.sink
        self.orgs: list[_Org] = []
        names: dict[str, int] = {}
        staff_rows = []
        n_staff = 0
        with sink.table(Organisation, ["id", "name", "type", "commune_id", "created_at"]) as add_org:
            for i in range(self.n_structures):
                department = self.departments[i % len(self.departments)]
                codes, weights = zip(*self.communes[department], strict=True)
                commune = rng.choices(codes, weights=[math.sqrt(w) for w in weights])[0]
                kind, label = STRUCTURE_TYPES[rng.randrange(len(STRUCTURE_TYPES))]
                org_id = self._hex()
                name = f"{label} {commune}"
                names[name] = names.get(name, 0) + 1
                if names[name] > 1:
                    name = f"{name} ({names[name]})"
                created = self._instant(self.first_day - dt.timedelta(days=rng.randint(1, 400)), 10)
                add_org((org_id, name, kind, commune, sink.ts(created)))
                staff = []
                for k in range(1 + rng.choice((0, 1, 1, 2, 2, 3))):
                    n_staff += 1
                    staff.append(self._hex())
                    staff_rows.append((staff[-1], f"formateur.{n_staff}@{self.domain}", FIRST_NAMES[n_staff % 30],
                                       LAST_NAMES[n_staff % 10], org_id,
                                       MembershipRole.ADMIN if k == 0 else MembershipRole.TRAINER, created))
                self.orgs.append(_Org(org_id, department, self.region_of[department], commune, staff))
        with sink.table(User, ["id", "password", "username", "kind", "email", "first_name", "last_name",
                               "person_key", "is_active", "is_guest", "is_staff", "is_superuser",
                               "date_joined"]) as add_user, \
                sink.table(Membership, ["user_id", "organisation_id", "role", "created_at"]) as add_member:
            for user_id, email, first, last, org_id, role, created in staff_rows:
                add_user((user_id, self.staff_hash, email, UserKind.STAFF, email, first, last,
                          stored_person_key(first, last, None), sink.TRUE, sink.FALSE, sink.FALSE, sink.FALSE,
                          sink.ts(created)))
                add_member((user_id, org_id, role, sink.ts(created)))
        self.first_admin = staff_rows[0][1]

    def _territories(self) -> None:
        """Every region a territory (a coordinator and a funder), one department per region, two hubs, the
        national team. A few hundred rows: the ORM and ``network_membership_add``, written after the staff
        users are copied (the staff above are only rows so far: these users are created here)."""
        by_region: dict[str, list[str]] = {}
        for d in self.departments:
            by_region.setdefault(self.region_of[d], []).append(d)
        regions = {r.code: r for r in Region.objects.filter(code__in=by_region)}
        departments = {d.code: d for d in Department.objects.filter(code__in=self.departments)}
        password = self.staff_hash
        people: list[tuple[str, str, Territory | None, str]] = []

        def person(local: str, role: str, territory: Territory | None, label: str) -> None:
            people.append((f"{local}@{self.domain}", role, territory, label))

        person("national", NetworkRole.NETWORK_ADMIN, None, "équipe nationale")
        hubs = [r for r in sorted(by_region, key=lambda r: -len(by_region[r])) if len(by_region[r]) >= 2][:2]
        for code in sorted(by_region):
            territory, _ = Territory.objects.get_or_create(name=f"Région {regions[code].name}",
                                                           defaults={"kind": TerritoryKind.REGION,
                                                                     "region": regions[code]})
            territory.departments.set([departments[d] for d in by_region[code]])
            person(f"coordination.region.{code}", NetworkRole.COORDINATOR, territory,
                   f"coordination de la région {regions[code].name}")
            person(f"financeur.region.{code}", NetworkRole.FUNDER, territory, f"financeur, région {regions[code].name}")
            first = by_region[code][0]
            dep, _ = Territory.objects.get_or_create(name=f"Département {departments[first].name} ({first})",
                                                     defaults={"kind": TerritoryKind.DEPARTMENT,
                                                               "region": regions[code]})
            dep.departments.set([departments[first]])
            person(f"coordination.departement.{first}", NetworkRole.COORDINATOR, dep,
                   f"coordination du département {departments[first].name}")
        for n, code in enumerate(hubs, start=1):
            hub, _ = Territory.objects.get_or_create(name=f"Hub numérique {regions[code].name}",
                                                     defaults={"kind": TerritoryKind.HUB})
            hub.departments.set([departments[d] for d in by_region[code][:3]])
            person(f"coordination.hub.{n}", NetworkRole.COORDINATOR, hub, f"coordination du hub {hub.name}")
        users = User.objects.bulk_create([
            User(username=email, email=email, kind=UserKind.STAFF, first_name=label.split(" ")[0].capitalize(),
                 password=password) for email, _role, _territory, label in people])
        for user, (_email, role, territory, _label) in zip(users, people, strict=True):
            network_membership_add(user=user, role=role, territory=territory)
        self.report.counts["territories"] = Territory.objects.count()
        self.report.counts["network_people"] = len(people)
        shown = ["équipe", "coordination de la région", "coordination du département", "coordination du hub",
                 "financeur"]
        for prefix in shown:
            email, label = next(((e, label) for e, _r, _t, label in people if label.startswith(prefix)), ("", ""))
            if email:
                self.report.sign_ins.append((email, label))
        self.report.sign_ins.append((self.first_admin, "responsable d'une structure (formateurs : même mot de passe)"))

    def _code(self) -> str:
        choices = self.rng.choices
        while True:
            code = "".join(choices(CODE_ALPHABET, k=CODE_LENGTH))
            if code not in self.existing_codes:
                self.existing_codes.add(code)
                return code

    def _learners(self) -> None:
        rng, sink = self.rng, self.sink
        weights = list(itertools.accumulate(rng.lognormvariate(0, 0.8) for _ in self.orgs))
        total = weights[-1]
        self.learners: list[tuple[str, int, list[_Org]]] = []  # (id, joined epoch, orgs)
        span = (self.today - self.first_day).days
        with sink.table(User, ["id", "password", "username", "kind", "first_name", "birth_year", "person_key",
                               "card_token", "is_active", "is_guest", "is_staff", "is_superuser",
                               "date_joined"]) as add_user, \
                sink.table(Enrolment, ["learner_id", "organisation_id", "created_by_id", "created_at",
                                       "contact_email"]) as add_enrolment:
            for i in range(self.n_learners):
                learner_id = self._hex()
                # More people join lately than two years ago (the programme grows).
                day = self.first_day + dt.timedelta(days=int(span * math.sqrt(rng.random())))
                joined = self._instant(day, 9 + rng.random() * 9)
                code = self._code()
                if i < 3:
                    self.report.sample_codes.append(code)
                first, year = FIRST_NAMES[i % 30], 1940 + rng.randrange(66)
                add_user((learner_id, self.learner_hash, code, UserKind.LEARNER, first, str(year),
                          stored_person_key(first, "", year), f"{rng.getrandbits(192):048x}", sink.TRUE,
                          sink.FALSE, sink.FALSE, sink.FALSE, sink.ts(joined)))
                orgs: list[_Org] = []
                draw = rng.random()
                if draw >= AUTONOMOUS_SHARE:
                    orgs.append(self.orgs[bisect.bisect(weights, rng.random() * total) % len(self.orgs)])
                    if draw >= 1 - SHARED_SHARE:
                        other = self.orgs[rng.randrange(len(self.orgs))]
                        if other is not orgs[0]:
                            orgs.append(other)
                for n, org in enumerate(orgs):
                    org.learners.append(learner_id)
                    by = org.staff[rng.randrange(len(org.staff))]
                    later = joined + 30 * DAY
                    add_enrolment((learner_id, org.id, by, sink.ts(later if n and later < self.now else joined), ""))
                self.learners.append((learner_id, joined, orgs))

    def _activity(self) -> None:
        rng, sink = self.rng, self.sink
        n = len(self.learners)
        diagnosed = [i for i in range(n) if rng.random() < DIAGNOSED_SHARE] if self.competences else []
        retakes = {i for i in diagnosed if rng.random() < RETAKE_SHARE}
        trained = [i for i in range(n) if rng.random() < SIMULATOR_SHARE] if self.simulators else []
        attempts = {i: rng.randint(1, 3) for i in trained}
        budget = self.n_events - len(diagnosed) - len(retakes) - 2 * sum(attempts.values())
        if budget < 0:  # few events asked: activity first, diagnostics and simulators only as budget allows
            diagnosed, retakes, attempts, budget = [], set(), {}, self.n_events
        per = [0.0 if rng.random() < INACTIVE_SHARE else rng.lognormvariate(0, 1.0) for _ in range(n)]
        if budget and self.modules:
            scale = budget / (sum(per) or 1)
            shares = [int(w * scale) for w in per]
            missing = budget - sum(shares)
            active = [i for i in range(n) if per[i] > 0] or list(range(n))
            for k in range(missing):
                shares[active[k % len(active)]] += 1
        else:
            shares = [0] * n
        diag_set = set(diagnosed)
        progress_cols = ["learner_id", "module_id", "status", "furthest_position", "answers", "wrong_first_answers",
                         "score", "started_at", "completed_at", "last_activity_at"]
        event_cols = ["id", "learner_id", "verb", "object_type", "object_id", "module_id", "content_version",
                      "success", "score", "response", "duration_ms", "client_timestamp", "stored_at"]
        with sink.table(LearningEvent, event_cols) as add_event, \
                sink.table(ModuleProgress, progress_cols) as add_progress, \
                sink.table(DiagnosticSession, ["id", "learner_id", "mode", "status", "started_by_id", "profile",
                                               "results", "started_at", "last_activity_at", "completed_at"]) as add_diag, \
                sink.table(SimulatorAttempt, ["id", "learner_id", "simulator_id", "content_version", "mode", "outcome",
                                              "screen", "errors_count", "hints_used", "score", "started_at",
                                              "finished_at", "duration_ms"]) as add_attempt:
            for i, (learner_id, joined, orgs) in enumerate(self.learners):
                last = max(joined, min(self.now - 3600, joined + rng.randint(30, 240) * DAY))
                if shares[i]:
                    self._modules_of(learner_id, joined, last, shares[i], add_event, add_progress)
                if i in diag_set:
                    self._diagnostics(learner_id, joined, last, i in retakes, orgs, add_diag, add_event)
                for _ in range(attempts.get(i, 0)):
                    self._attempt(learner_id, joined, last, add_attempt, add_event)

    def _modules_of(self, learner_id: str, joined: int, last: int, budget: int, add_event, add_progress) -> None:
        rng, sink, NULL = self.rng, self.sink, self.sink.NULL
        plays: list[tuple[_ModulePlan, int]] = []  # (module, events)
        index = self.track_starts[rng.randrange(len(self.track_starts))]
        left = budget
        for _ in range(len(self.modules)):
            if not left:
                break
            module = self.modules[index % len(self.modules)]
            take = min(left, module.full) if left >= module.full or rng.random() < 0.7 else left
            plays.append((module, take))
            left -= take
            index += 1
        if left:  # more events than the whole curriculum: the rest are revisits of steps of the last module
            module, take = plays[-1]
            plays[-1] = (module, take + left)
        days = sorted(rng.randint(joined, last) // DAY for _ in plays)
        cursor = joined
        offline = rng.random() < OFFLINE_SHARE
        for k, ((module, take), day) in enumerate(zip(plays, days, strict=True)):
            d = dt.date(1970, 1, 1) + dt.timedelta(days=day)
            start = self._instant(d, 9 + rng.random() * 9)
            t = max(cursor + 60, start)
            delay = 0
            if offline and k == len(plays) - 1:
                delay = rng.randint(2, 6) * DAY
                if t + delay + take * 90 >= self.now:
                    delay = 0
            first_t = t
            answers: dict[str, dict[str, bool]] = {}
            furthest = -1
            steps = module.steps
            position = 0
            acts: list[tuple[str, str, str, str | None]] = []  # (verb, object type, object id, success)
            while len(acts) < take:
                slug, pos, is_question = steps[position % len(steps)]
                object_id = f"{module.slug}/{slug}"
                if is_question:
                    ok = rng.random() < 0.75
                    acts.append((Verb.ANSWERED, ObjectType.QUESTION, object_id, sink.b(ok)))
                    answers.setdefault(slug, {"first": ok})["last"] = ok
                    if len(acts) >= take:
                        break
                acts.append((Verb.EXPERIENCED, ObjectType.QUESTION if is_question else ObjectType.STEP, object_id,
                             NULL))
                furthest = max(furthest, pos)
                position += 1
                if position == len(steps) and take == module.full:
                    acts.append((Verb.COMPLETED, ObjectType.MODULE, module.slug, NULL))
            completed_at = None
            last_t = t
            random_ = rng.random
            for verb, object_type, object_id, success in acts:
                last_t = t
                add_event((self._hex(), learner_id, verb, object_type, object_id, module.id, module.version,
                           success, NULL, NULL, NULL, sink.ts(t) if delay else NULL, sink.ts(t + delay)))
                t += 15 + int(random_() * 76)
            if acts and acts[-1][0] == Verb.COMPLETED:
                completed_at = last_t
            cursor = t
            score = NULL
            if completed_at is not None:
                furthest = module.positions_max
                if module.questions:
                    firsts = sum(answers.get(s, {}).get("first", False) for s, _p, q in steps if q)
                    score = str(round(firsts / module.questions, 3))
            add_progress((learner_id, module.id, ProgressStatus.COMPLETED if completed_at else ProgressStatus.IN_PROGRESS,
                          str(furthest), sink.json(answers),
                          str(sum(1 for a in answers.values() if a.get("first") is False)), score,
                          sink.ts(first_t + delay),
                          sink.ts(completed_at + delay) if completed_at else NULL,
                          sink.ts(last_t + delay)))

    def _diagnostics(self, learner_id: str, joined: int, last: int, retake: bool, orgs: list[_Org], add_diag,
                     add_event) -> None:
        rng, sink, NULL = self.rng, self.sink, self.sink.NULL
        thetas = {c: rng.gauss(-0.3, 1.0) for c in self.competences}
        first = rng.randint(joined, max(joined, last - 40 * DAY))
        takes = [(first, thetas)]
        if retake:
            gain = rng.choice((0.0, 0.4, 0.8, 1.2))
            takes.append((min(self.now - 600, first + rng.randint(30, 120) * DAY),
                          {c: t + gain * rng.random() for c, t in thetas.items()}))
        for when, values in takes:
            session_id = self._hex()
            results = {c: {"level": level_of(t), "theta": round(t, 4), "sd": 0.45, "n": 3,
                           "probabilities": [round(1.0 if LEVELS.index(level_of(t)) == k else 0.0, 1)
                                             for k in range(len(LEVELS))]}
                       for c, t in values.items()}
            accompanied = bool(orgs) and rng.random() < 0.4
            started_by = orgs[0].staff[-1] if accompanied else NULL
            done = when + rng.randint(300, 1500)
            add_diag((session_id, learner_id, SessionMode.ACCOMPANIED if accompanied else SessionMode.ALONE,
                      SessionStatus.COMPLETED, started_by, sink.json({"appareils": ["smartphone"]}),
                      sink.json(results), sink.ts(when), sink.ts(done), sink.ts(done)))
            add_event((self._hex(), learner_id, Verb.COMPLETED, ObjectType.DIAGNOSTIC, "diagnostic", NULL, "", NULL,
                       NULL, sink.json({"session": session_id, "mode": "alone",
                                        "levels": {c: r["level"] for c, r in results.items()}}),
                       NULL, NULL, sink.ts(done)))

    def _attempt(self, learner_id: str, joined: int, last: int, add_attempt, add_event) -> None:
        rng, sink, NULL = self.rng, self.sink, self.sink.NULL
        simulator_id, slug, version = self.simulators[rng.randrange(len(self.simulators))]
        mode = rng.choice((Mode.GUIDED, Mode.PRACTICE, Mode.CHECK, Mode.CHECK))
        started = rng.randint(joined, last)
        seconds = rng.randint(120, 900)
        errors = rng.choice((0, 0, 1, 1, 2, 4))
        if mode == Mode.CHECK:
            score = round(max(0.0, 1 - 0.12 * errors - rng.random() * 0.1), 3)
            passed = score >= 0.7
            outcome, verb = (Outcome.PASSED, Verb.PASSED) if passed else (Outcome.FAILED, Verb.FAILED)
            score_text, success = str(score), sink.b(passed)
        else:
            outcome, verb, score_text, success = Outcome.COMPLETED, Verb.COMPLETED, NULL, NULL
        attempt_id = self._hex()
        add_attempt((attempt_id, learner_id, str(simulator_id), version, mode, outcome, "fin", str(errors), "0",
                     score_text, sink.ts(started), sink.ts(started + seconds), str(seconds * 1000)))
        add_event((self._hex(), learner_id, Verb.ATTEMPTED, ObjectType.SIMULATOR, slug, NULL, "", NULL, NULL,
                   sink.json({"mode": mode}), NULL, NULL, sink.ts(started)))
        add_event((self._hex(), learner_id, verb, ObjectType.SIMULATOR, slug, NULL, "", success, score_text,
                   sink.json({"mode": mode, "errors": errors, "hints": 0}), str(seconds * 1000), NULL,
                   sink.ts(started + seconds)))

    def _coaching(self) -> None:
        rng, sink, NULL = self.rng, self.sink, self.sink.NULL
        themes = self.themes
        with sink.table(Workshop, ["id", "organisation_id", "title", "date", "start_time", "duration_minutes",
                                   "place", "theme", "level", "attendance_taken_at", "created_by_id",
                                   "created_at"]) as add_workshop, \
                sink.table(Attendance, ["workshop_id", "learner_id", "recorded_by_id", "recorded_at"]) as add_att, \
                sink.table(Accompaniment, ["id", "organisation_id", "mediateur_id", "type", "date", "duree",
                                           "type_lieu", "materiel", "thematiques", "autonomie",
                                           "structure_de_redirection", "titre_atelier", "niveau_atelier",
                                           "workshop_id", "accompagnements", "learner_id", "premier_accompagnement",
                                           "notes", "created_at", "beneficiaire_genre", "beneficiaire_tranche_age",
                                           "beneficiaire_statut_social"]) as add_record:
            counts = {"workshops": 0, "attendance": 0, "records": 0}
            for org in self.orgs:
                if not org.learners:
                    continue
                for _ in range(max(1, len(org.learners) // LEARNERS_PER_WORKSHOP)):
                    theme = rng.choice(list(WORKSHOP_TITLES))
                    day = self._day(self.first_day, self.today + dt.timedelta(days=30))
                    trainer = org.staff[rng.randrange(len(org.staff))]
                    workshop_id = self._hex()
                    past = day < self.today
                    taken = self._instant(day, 17) if past else None
                    level = rng.choice(("debutant", "debutant", "intermediaire"))
                    add_workshop((workshop_id, org.id, WORKSHOP_TITLES[theme], day.isoformat(),
                                  rng.choice(("09:30:00", "14:00:00", "16:00:00")), "90", "Salle informatique",
                                  theme, level, sink.ts(taken) if taken else NULL, trainer,
                                  sink.ts(self._instant(day - dt.timedelta(days=14), 10))))
                    counts["workshops"] += 1
                    if not past:
                        continue
                    present = rng.sample(org.learners, min(len(org.learners), rng.randint(3, 10)))
                    for learner_id in present:
                        add_att((workshop_id, learner_id, trainer, sink.ts(taken)))
                    counts["attendance"] += len(present)
                    add_record((self._hex(), org.id, trainer, AccompanimentType.COLLECTIF, day.isoformat(), "90",
                                "lieu_activite", sink.json(["ordinateur"]), sink.json([theme]), "", "",
                                WORKSHOP_TITLES[theme], level, workshop_id, str(len(present)), NULL, NULL, "",
                                sink.ts(taken), Genre.NON_COMMUNIQUE, TrancheAge.NON_COMMUNIQUE,
                                StatutSocial.NON_COMMUNIQUE))
                    counts["records"] += 1
                for _ in range(max(1, round(len(org.learners) * RECORDS_PER_LEARNER))):
                    day = self._day(self.first_day, self.today - dt.timedelta(days=1))
                    trainer = org.staff[rng.randrange(len(org.staff))]
                    known = rng.random() < 0.5
                    learner_id = org.learners[rng.randrange(len(org.learners))] if known else NULL
                    chosen = rng.sample(themes, rng.choice((1, 1, 2, 3)))
                    add_record((self._hex(), org.id, trainer, AccompanimentType.INDIVIDUEL, day.isoformat(),
                                str(rng.choice((15, 30, 45, 60))), rng.choice(("lieu_activite", "lieu_activite",
                                                                                "domicile", "a_distance")),
                                sink.json([rng.choice(("telephone", "ordinateur", "tablette"))]), sink.json(chosen),
                                rng.choice(list(Autonomie.values)), "", "", "", NULL, "1", learner_id,
                                sink.b(rng.random() < 0.6), "", sink.ts(self._instant(day, 18)),
                                Genre.NON_COMMUNIQUE if known else rng.choice(list(Genre.values)),
                                TrancheAge.NON_COMMUNIQUE if known else rng.choice(list(TrancheAge.values)),
                                StatutSocial.NON_COMMUNIQUE if known else rng.choice(list(StatutSocial.values))))
                    counts["records"] += 1
            self.report.counts.update(counts)


def rollups_all() -> int:
    """The stats rollups of every day, through the stats API (set-based); 0 when stats has no rollup yet."""
    try:
        from tremplin.stats import rollup
    except ImportError:
        return 0
    summary = rollup.all_rollup()
    rollup.watermark_set()
    return getattr(summary, "days", 0)


def generate_network(*, learners: int, events: int, structures: int | None = None, seed: int = 2026,
                     out: Callable[[str], None] = print, rollups: bool = True, days: int = HISTORY_DAYS) -> Report:
    return Generator(learners=learners, events=events, structures=structures, seed=seed, out=out,
                     rollups=rollups, days=days).run()
