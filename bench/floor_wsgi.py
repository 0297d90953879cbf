"""The product's WSGI application with the floors of bench/over_http.py beside it, so that the
floor runs in the same gunicorn, with the same workers, as the product it is compared with.

Every path except /bench-floor/... goes to config.wsgi.application untouched. The floors:

- GET /bench-floor/list/<key>/<size>/: the rows of one SQL query that bench/over_http.py
  wrote to the JSON file named by BENCH_FLOOR_QUERIES (the same page of rows as the list
  `key` at page size `size`), serialised with json.dumps. No Django: no middleware, no
  authentication, no serializer.
- POST /bench-floor/insert/: one plain INSERT of a comment-like row into the scratch table
  bench_http_scratch_comment, in its own transaction (autocommit), answering its id.

Each worker process keeps one PostgreSQL connection (psycopg, the driver Django uses) for the
floors, opened on its first floor request. Benchmarks only: never served in production.

    gunicorn bench.floor_wsgi ...   (bench/over_http.py starts it so)
"""

import json
import os

import psycopg

from config.wsgi import application as product

PREFIX = "/bench-floor/"
_state: dict = {}


def _connection() -> psycopg.Connection:
    if "connection" not in _state or _state["connection"].closed:
        url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        # Client-side binding, as Django's psycopg backend uses: the stored SQL is literal.
        _state["connection"] = psycopg.connect(
            url, autocommit=True, cursor_factory=psycopg.ClientCursor
        )
    return _state["connection"]


def _queries() -> dict:
    if "queries" not in _state:
        with open(os.environ["BENCH_FLOOR_QUERIES"]) as file:
            _state["queries"] = json.load(file)
    return _state["queries"]


def _answer(start_response, status: str, body: bytes):
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _list(key: str, size: str) -> bytes:
    sql = _queries()[key][size]
    with _connection().cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return json.dumps(rows, default=str).encode()


def _insert(environ) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    data = json.loads(environ["wsgi.input"].read(length) or b"{}")
    with _connection().cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_http_scratch_comment (consultation_id, organisation_id, "
            "clause_id, kind, body, submitted_at) VALUES (%s, %s, %s, %s, %s, now()) "
            "RETURNING id",
            [
                data.get("consultation"),
                int(environ.get("HTTP_X_ACTING_FOR") or 0),
                data.get("clause"),
                data.get("kind", ""),
                data.get("body", ""),
            ],
        )
        (row_id,) = cursor.fetchone()
    return json.dumps({"id": row_id}).encode()


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX):
        return product(environ, start_response)
    parts = path[len(PREFIX) :].strip("/").split("/")
    if parts[0] == "list" and len(parts) == 3 and environ["REQUEST_METHOD"] == "GET":
        return _answer(start_response, "200 OK", _list(parts[1], parts[2]))
    if parts == ["insert"] and environ["REQUEST_METHOD"] == "POST":
        return _answer(start_response, "201 Created", _insert(environ))
    return _answer(start_response, "404 Not Found", b'{"error": "no such floor"}')
