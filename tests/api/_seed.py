"""An independent reading of the seed list of operations, for checking the generated table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "spec" / "clarifai-api-v2-50-endpoints.txt"

_HEADER = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/v2/\S*)$")
_PARAM = re.compile(r"^(\S+) (path|query) (required|optional) (string|integer|boolean|array)$")


@dataclass
class SeedOperation:
    operation_id: str
    method: str
    path: str
    path_params: list[str] = field(default_factory=list)
    query_params: list[tuple[str, str]] = field(default_factory=list)
    has_body: bool = False


def read_seed(path: Path = SEED) -> list[SeedOperation]:
    """Read every operation.

    An operation's ``operationId:`` line follows its ``METHOD /path`` line,
    possibly with prose between; the nearest route line above it is the one.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    ops: list[SeedOperation] = []
    last_route: re.Match[str] | None = None
    for line in lines:
        header = _HEADER.match(line)
        if header:
            last_route = header
            continue
        if line.startswith("operationId:"):
            assert last_route is not None, "an operationId before any route"
            op_id = line.split(":", 1)[1].strip()
            ops.append(SeedOperation(op_id, last_route.group(1), last_route.group(2)))
            continue
        if not ops:
            continue
        current = ops[-1]
        if line.strip() == "Request Body":
            current.has_body = True
        param = _PARAM.match(line)
        if param:
            name, where, _, kind = param.groups()
            if where == "path":
                current.path_params.append(name)
            else:
                current.query_params.append((name, kind))
    return ops
