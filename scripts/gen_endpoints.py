"""Generate ``clarinb/api/_endpoints.py`` from the seed list of operations.

Usage::

    python scripts/gen_endpoints.py            # rewrite the table
    python scripts/gen_endpoints.py --check    # exit 1 if the table is stale

The seed (``spec/clarifai-api-v2-50-endpoints.txt``) gives each operation's id,
HTTP method, path and query parameters.  The nesting of request-body
properties is flattened in the seed, so the body's root keys, the response's
list key and the message names come from the protocol definitions shipped in
the ``clarifai-grpc`` package (a development-only dependency).
"""

from __future__ import annotations

import argparse
import pprint
import re
import sys
from pathlib import Path

from _format import ruff_format  # the sibling module; scripts run from this folder

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "spec" / "clarifai-api-v2-50-endpoints.txt"
OUT = ROOT / "clarinb" / "api" / "_endpoints.py"

_ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/v2/\S*)$")
_PARAM = re.compile(r"^([A-Za-z][\w.]*) (path|query) (required|optional) (\w+)$")
_PROP = re.compile(r"^([A-Za-z]\w*) (\w+) (required|optional)$")

GROUPS = (
    ("/v2/datasets", "dataset_versions"),
    ("/v2/evaluations", "evaluations"),
    ("/v2/label_orders", "label_orders"),
    ("/v2/models", "models"),
    ("/v2/inputs", "inputs"),
)


def parse_seed(text: str) -> list[dict]:
    """Split the seed into one record per operation, in seed order."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("operationId: ")]
    records = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[start:end]
        op = block[0].split(": ", 1)[1].strip()
        # Each block closes by repeating "METHOD PATH" after its responses.
        resp = next(i for i, line in enumerate(block) if line == "Responses")
        route = next(m for line in block[resp:] if (m := _ROUTE.match(line)))
        params, props, in_body = [], [], False
        for line in block[1:resp]:
            if line.startswith("Property Type Required"):
                in_body = True
                continue
            if in_body and (m := _PROP.match(line)):
                props.append(m.group(1))
            elif not in_body and (m := _PARAM.match(line)):
                params.append((m.group(1), m.group(2), m.group(4)))
        records.append(
            {
                "operation_id": op,
                "method": route.group(1),
                "path": route.group(2),
                "params": params,
                "props": props,
                "has_body": in_body,
            }
        )
    return records


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def describe(record: dict) -> dict:
    """Complete one seed record with names read from clarifai-grpc."""
    from clarifai_grpc.grpc.api import service_pb2  # noqa: PLC0415

    service = service_pb2.DESCRIPTOR.services_by_name["V2"]
    rpc = re.sub(r"\d+$", "", record["operation_id"].removeprefix("V2_"))
    method = service.methods_by_name[rpc]
    request, response = method.input_type, method.output_type
    by_json = {f.json_name: f.name for f in request.fields}
    body_keys = tuple(dict.fromkeys(by_json[p] for p in record["props"] if p in by_json))
    list_fields = [f.name for f in response.fields if f.is_repeated and f.name != "status"]
    list_key = list_fields[0] if response.name.startswith("Multi") and list_fields else None
    query = tuple((n, t) for n, where, t in record["params"] if where == "query")
    names = {n for n, _ in query}
    if "lastId" in names:
        paging = "last_id"
    elif "page" in names:
        paging = "page"
    elif "pagination" in body_keys:
        paging = "body"
    else:
        paging = None
    group = next(g for prefix, g in GROUPS if record["path"].startswith(prefix))
    return {
        "operation_id": record["operation_id"],
        "method": record["method"],
        "path": record["path"],
        "group": group,
        "rpc": rpc,
        "path_params": tuple(n for n, where, _ in record["params"] if where == "path"),
        "query_params": query,
        "body_keys": body_keys if record["has_body"] else (),
        "list_key": list_key,
        "paging": paging,
        "request_message": request.name,
        "response_message": response.name,
    }


def render(rows: list[dict]) -> str:
    """Render the table module's source text."""
    head = (
        "# GENERATED FILE: do not edit by hand.\n"
        "# Made by scripts/gen_endpoints.py from spec/clarifai-api-v2-50-endpoints.txt\n"
        "# (the seed list of operations) and the clarifai-grpc protocol definitions.\n"
        "# Regenerate with `python scripts/gen_endpoints.py`.\n"
        '"""The Clarifai API v2 operations clarinb speaks, one row per operation."""\n\n'
        "from __future__ import annotations\n\n"
        "ROWS: tuple[dict, ...] = "
    )
    body = pprint.pformat(tuple(rows), width=100, sort_dicts=False)
    return ruff_format(head + body + "\n", OUT)


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the generated table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the table is stale")
    args = ap.parse_args(argv)
    rows = [describe(r) for r in parse_seed(SEED.read_text(encoding="utf-8"))]
    text = render(rows)
    if args.check:
        stale = OUT.read_text(encoding="utf-8") != text
        print("stale" if stale else "up to date")
        return int(stale)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} operations to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
