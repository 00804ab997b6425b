"""Post the score diff on a pull request (GitHub) or merge request (GitLab), updating our own
earlier comment instead of adding a new one on every push.

Run from CI: ``python -m generator.review.comment github build/diff.md`` (or ``gitlab``). A comment
that cannot be posted (no token, a fork without write permission) is reported and does not fail the
pipeline: the diff is also in the job log and summary.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.review.markdown import MARKER

Send = Callable[[str, str, dict[str, str], bytes | None], Any]
"""(method, url, headers, body) → decoded JSON response."""


def send(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
    """One HTTP request with urllib; the JSON answer decoded."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - URL comes from the CI
        return json.loads(response.read() or b"null")


@dataclass(frozen=True)
class Target:
    """Where the comment goes and how to reach it."""

    list_url: str
    """URL listing the existing comments (and creating a new one by POST)."""
    item_url: str
    """URL of one comment, with ``{id}`` for its id."""
    update: str
    """HTTP method that edits a comment (PATCH on GitHub, PUT on GitLab)."""
    headers: dict[str, str]
    """Authentication and content headers."""


def github_target(env: Mapping[str, str]) -> Target:
    """The pull request of a GitHub Actions run."""
    api = env.get("GITHUB_API_URL", "https://api.github.com")
    number = env.get("ZWPJ_PR_NUMBER") or _event_number(env.get("GITHUB_EVENT_PATH", ""))
    repo = env["GITHUB_REPOSITORY"]
    headers = {
        "Authorization": f"Bearer {env['GITHUB_TOKEN']}",
        "Accept": "application/vnd.github+json",
        "Content-Type": "application/json",
    }
    return Target(
        f"{api}/repos/{repo}/issues/{number}/comments",
        f"{api}/repos/{repo}/issues/comments/{{id}}",
        "PATCH",
        headers,
    )


def gitlab_target(env: Mapping[str, str]) -> Target:
    """The merge request of a GitLab CI pipeline (needs a project access token in ZWPJ_GITLAB_TOKEN)."""
    project = f"{env['CI_API_V4_URL']}/projects/{env['CI_PROJECT_ID']}"
    base = f"{project}/merge_requests/{env['CI_MERGE_REQUEST_IID']}"
    headers = {"PRIVATE-TOKEN": env["ZWPJ_GITLAB_TOKEN"], "Content-Type": "application/json"}
    return Target(f"{base}/notes", f"{base}/notes/{{id}}", "PUT", headers)


def _event_number(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return str(json.load(handle)["pull_request"]["number"])


def upsert(target: Target, body: str, *, transport: Send = send) -> str:
    """Edit our earlier comment (found by the marker) or add one; returns 'updated' or 'created'."""
    existing = transport("GET", target.list_url + "?per_page=100", target.headers, None) or []
    payload = json.dumps({"body": body}).encode("utf-8")
    for comment in existing:
        if str(comment.get("body", "")).startswith(MARKER):
            transport(target.update, target.item_url.format(id=comment["id"]), target.headers, payload)
            return "updated"
    transport("POST", target.list_url, target.headers, payload)
    return "created"


def main(
    argv: list[str] | None = None, env: Mapping[str, str] | None = None, *, transport: Send = send
) -> int:
    """Entry point for CI; always 0 unless called wrongly, so a missing permission never fails a review."""
    args = sys.argv[1:] if argv is None else argv
    env = os.environ if env is None else env
    if len(args) != 2 or args[0] not in ("github", "gitlab"):
        sys.stderr.write("用法：python -m generator.review.comment github|gitlab <diff.md>\n")
        return 2
    with open(args[1], encoding="utf-8") as handle:
        body = handle.read()
    try:
        target = github_target(env) if args[0] == "github" else gitlab_target(env)
        done = upsert(target, body, transport=transport)
    except KeyError as exc:
        sys.stderr.write(f"未发表评分变化评论：缺少环境变量 {exc.args[0]}\n")
        return 0
    except (urllib.error.URLError, OSError) as exc:
        sys.stderr.write(f"未发表评分变化评论：{exc}\n")
        return 0
    sys.stderr.write(f"评分变化评论已{'更新' if done == 'updated' else '发表'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
