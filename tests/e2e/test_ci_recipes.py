"""The CI recipes of docs/ci/ (shown in the README) run as written, so they cannot rot.

GitHub Actions (docs/ci/github-actions.yml): the workflow's steps are run in order, as the
runner runs them, in a clean clone of a small project: each `run:` script with
`bash --noprofile --norc -eo pipefail` (the runner's shell on ubuntu-latest), the
workflow's `env:`, the runner's variables (GITHUB_EVENT_NAME, GITHUB_BASE_REF, RUNNER_TEMP,
GITHUB_PATH, which adds to PATH for the later steps), each step's `if:` decided from the
event, and a failed step skipping the later ones that are not `always()`. Stand-ins, as
nothing here reaches the network: the release files are a local folder reached through a
`file://` URL given as the `ALEMBIC_LSP_RELEASE_URL` variable, holding the binary under test
under the release's name with its SHA256SUMS; `actions/checkout` is a full `git clone`
(what `fetch-depth: 0` fetches); `upload-sarif` is a check that the file it would upload is
SARIF 2.1.0 with the expected results.

GitLab CI (docs/ci/gitlab-ci.yml): `before_script` and `script` in one bash session, in a
full clone, with GitLab's variables for a merge request or a branch pipeline; the same
stand-in release folder; the Code Quality report it writes is read and checked.

pre-commit (docs/ci/pre-commit-config.yaml, and pre-commit-python.yaml which installs a
stand-in wheel, see its class): Debian's pre-commit installs the recipe's hook
in a git repository and runs it on real commits (the binary under test on PATH stands in
for an installed wheel or package)."""
import contextlib
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import yaml

from cli_support import (BINARY, NO_GIT, NO_GIT_UNDER_WINE, SOURCE_DIR, WINDOWS, migration, posix_paths,
                         wine_launcher)

RECIPES = SOURCE_DIR / "docs" / "ci"
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
# A PATH without the binary under test: only the recipe's install step may put it there.
BASE_PATH = "/usr/local/bin:/usr/bin:/bin"

# The `if:` conditions the workflow uses, as GitHub evaluates them (`failed`: an earlier
# step failed; `steps`: the outcome of each step with an id); a new condition fails the
# test until it is taught here.
CONDITIONS = {
    "github.event_name == 'pull_request'": lambda ctx, failed, steps: not failed and ctx["event"] == "pull_request",
    "github.event_name != 'pull_request'": lambda ctx, failed, steps: not failed and ctx["event"] != "pull_request",
    "${{ !cancelled() && steps.install.outcome == 'success' }}":
        lambda ctx, failed, steps: steps.get("install") == "success",
    "${{ !cancelled() && steps.sarif.outcome == 'success' && (github.event_name == 'push' || "
    "!github.event.pull_request.head.repo.fork) }}":
        lambda ctx, failed, steps: steps.get("sarif") == "success" and (ctx["event"] == "push" or not ctx["fork"]),
}


class Repo:
    """A git repository with an Alembic project at migrations/."""

    def __init__(self, root, env):
        self.root = Path(root)
        self.env = env
        self.versions = self.root / "migrations" / "versions"

    def git(self, *args):
        r = subprocess.run(["git", *args], cwd=self.root, env=self.env, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {r.stderr}")
        return r.stdout

    def write(self, name, text):
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-qm", message)


def stripped_binary(directory):
    """The binary under test without its debug sections (as release binaries are): a
    RelWithDebInfo build is ~120 MB, which would make every copy, hash and zip slow."""
    out = Path(directory) / "alembic-lsp"
    if WINDOWS:  # alembic-lsp.exe under wine: a launcher stands in for the Linux binary
        return wine_launcher(out)
    if shutil.which("strip") is None:
        raise AssertionError("strip is needed: apt-get install binutils")
    subprocess.run(["strip", "--strip-debug", "-o", str(out), str(Path(BINARY).resolve())], check=True,
                   capture_output=True, timeout=120)
    return out


def project_version():
    return re.search(r"project\(alembic-lsp VERSION ([0-9.]+)", (SOURCE_DIR / "CMakeLists.txt").read_text()).group(1)


class RecipeProjectCase(unittest.TestCase):
    """A release folder holding the binary under test, and a project on a bare `origin`
    whose main has a clean history plus one legacy problem (an error): a .py in the versions
    folder that is no migration."""

    @classmethod
    def setUpClass(cls):
        for tool, package in (("git", "git"), ("curl", "curl"), ("sha256sum", "coreutils"), ("bash", "bash")):
            if shutil.which(tool) is None:
                raise AssertionError(f"{tool} is needed: apt-get install {package}")
        cls.class_tmp = tempfile.mkdtemp(prefix="alembic-lsp-ci-recipe-bin-")
        cls.binary = stripped_binary(cls.class_tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.class_tmp, ignore_errors=True)

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-ci-recipe-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.env = dict(GIT_ENV, HOME=str(self.tmp / "home"), PATH=BASE_PATH, LC_ALL="C.UTF-8")
        (self.tmp / "home").mkdir()
        # The release folder: the binary under test under the release file's name.
        version = project_version()
        self.release = self.tmp / "release"
        self.release.mkdir()
        name = f"alembic-lsp-{version}-linux-x86_64"
        shutil.copy(self.binary, self.release / name)
        sums = [f"{hashlib.sha256((self.release / name).read_bytes()).hexdigest()}  {name}",
                f"{'0' * 64}  alembic-lsp-{version}-linux-aarch64"]  # listed, not downloaded
        (self.release / "SHA256SUMS").write_text("\n".join(sums) + "\n")
        self.origin = self.tmp / "origin.git"
        upstream = Repo(self.tmp / "upstream", self.env)
        upstream.root.mkdir()
        upstream.git("init", "-q", "-b", "main")
        upstream.write("alembic.ini", "[alembic]\nscript_location = migrations\n")
        upstream.write("migrations/env.py", "# env.py is never run by alembic-lsp\n")
        upstream.write("migrations/versions/a1_start.py", migration("a1", None))
        upstream.write("migrations/versions/b1_users.py", migration("b1", "a1"))
        upstream.write("migrations/versions/helpers.py", "def helper():\n    return 1\n")
        upstream.commit("start")
        subprocess.run(["git", "clone", "-q", "--bare", str(upstream.root), str(self.origin)],
                       env=self.env, check=True, capture_output=True, timeout=60)
        self.upstream = upstream

    def clone(self, workspace, ref):
        """The CI system's checkout: a full clone of origin at `ref`."""
        subprocess.run(["git", "clone", "-q", "--no-checkout", str(self.origin), str(workspace)],
                       env=self.env, check=True, capture_output=True, timeout=60)
        return subprocess.run(["git", "checkout", "-q", ref], cwd=workspace, env=self.env,
                              capture_output=True, text=True, timeout=60)

    def merge_heads_on(self, branch):
        """The developer's fix: `alembic-lsp merge` on the branch, committed and pushed."""
        self.upstream.git("checkout", "-q", branch)
        r = subprocess.run([BINARY, "merge", str(self.upstream.root), "-m", "merge heads", "--rev-id", "d1"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.upstream.commit("merge heads")
        self.upstream.git("push", "-q", str(self.origin), f"{branch}:{branch}")
        self.upstream.git("checkout", "-q", "main")

    def push_branch(self, branch, files):
        """A pull request's branch on the origin: main plus `files`, one commit."""
        self.upstream.git("checkout", "-q", "-B", branch, "main")
        for name, text in files.items():
            self.upstream.write(name, text)
        self.upstream.commit(f"{branch}: change")
        self.upstream.git("push", "-q", str(self.origin), f"{branch}:{branch}")
        self.upstream.git("checkout", "-q", "main")


class GitHubActionsRecipeTest(RecipeProjectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workflow = yaml.safe_load((RECIPES / "github-actions.yml").read_text())

    def test_release_version_is_the_project_version(self):
        self.assertEqual(self.workflow["env"]["ALEMBIC_LSP_VERSION"], project_version())

    def run_job(self, event, ref, fork=False):
        """Runs the job's steps in order; returns (job passed, [(step name, outcome, output)])."""
        run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=self.tmp))
        workspace = run_dir / "workspace"
        runner_temp = run_dir / "runner-temp"
        runner_temp.mkdir()
        github_path = run_dir / "github_path"
        github_path.write_text("")
        env = dict(self.env, GITHUB_EVENT_NAME=event, GITHUB_WORKSPACE=str(workspace),
                   RUNNER_TEMP=str(runner_temp), GITHUB_PATH=str(github_path), CI="true",
                   GITHUB_ACTIONS="true")
        if event == "pull_request":
            env["GITHUB_BASE_REF"] = "main"
        for key, value in self.workflow["env"].items():
            value = str(value)
            if value == "${{ vars.ALEMBIC_LSP_RELEASE_URL }}":
                value = self.release.as_uri()  # the stand-in for the team's release folder
            self.assertNotIn("${{", value, f"env {key}: the test does not know how to evaluate it")
            env[key] = value
        [job] = self.workflow["jobs"].values()
        ctx = {"event": event, "fork": fork}
        failed = False
        log = []
        outcomes = {}
        for step in job["steps"]:
            name = step.get("name") or step.get("uses")
            condition = step.get("if")
            if condition is not None:
                self.assertIn(condition, CONDITIONS, f"step {name!r}: teach the test the condition {condition!r}")
            runs = CONDITIONS[condition](ctx, failed, outcomes) if condition else not failed
            if not runs:
                log.append((name, "skipped", ""))
                outcomes[step.get("id")] = "skipped"
                continue
            if "uses" in step:
                outcome, output = self.use_action(step, workspace, ref)
            else:
                self.assertNotIn("${{", step["run"], f"step {name!r}: expressions in run: are not evaluated here")
                r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                   cwd=workspace, env=env, capture_output=True, text=True, timeout=120)
                outcome, output = ("success" if r.returncode == 0 else f"failure ({r.returncode})"), r.stdout + r.stderr
            log.append((name, outcome, output))
            outcomes[step.get("id")] = "success" if outcome == "success" else "failure"
            failed = failed or outcome != "success"
            added = [line for line in github_path.read_text().splitlines() if line]
            env["PATH"] = ":".join(list(reversed(added)) + [BASE_PATH])
        return not failed, log

    def use_action(self, step, workspace, ref):
        action = step["uses"].split("@")[0]
        if action == "actions/checkout":
            self.assertEqual(step.get("with", {}).get("fetch-depth"), 0, "the base ref's history is needed")
            r = self.clone(workspace, ref)
            return ("success" if r.returncode == 0 else "failure"), r.stderr
        if action == "github/codeql-action/upload-sarif":
            sarif_file = workspace / step["with"]["sarif_file"]
            sarif = json.loads(sarif_file.read_text())
            self.assertEqual(sarif["version"], "2.1.0")
            self.assertEqual(step["with"]["category"], "alembic-lsp")
            self.uploaded = sarif
            return "success", ""
        raise AssertionError(f"the test has no stand-in for the action {action}")

    def step(self, log, name):
        [entry] = [e for e in log if e[0] == name]
        return entry

    def test_workflow_shape(self):
        wf = self.workflow
        triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as true
        self.assertIn("pull_request", triggers)
        self.assertEqual(wf["permissions"], {"contents": "read", "actions": "read", "security-events": "write"})
        [job] = wf["jobs"].values()
        self.assertEqual(job["runs-on"], "ubuntu-latest")
        self.assertNotIn("container", job)
        runs = [s["run"] for s in job["steps"] if "run" in s]
        self.assertTrue(any('--base "origin/$GITHUB_BASE_REF"' in r for r in runs))
        # No repository address written in: the releases' folder is a variable.
        self.assertNotRegex((RECIPES / "github-actions.yml").read_text(), r"github\.com/(?!YOUR_ORG)")

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # a --base step
    def test_pull_request_adding_a_head_fails_and_the_merge_passes(self):
        self.push_branch("second-head", {"migrations/versions/c1_orders.py": migration("c1", "a1")})
        passed, log = self.run_job("pull_request", "second-head")
        self.assertFalse(passed, log)
        self.assertEqual(self.step(log, "Install alembic-lsp")[1], "success", log)
        self.assertRegex(self.step(log, "Install alembic-lsp")[2], r"alembic-lsp-\S+-linux-x86_64: OK\nalembic-lsp \d")
        name, outcome, output = self.step(log, "Problems this pull request adds")
        self.assertEqual(outcome, "failure (1)", output)
        self.assertRegex(output, r"::error file=migrations/versions/(b1_users|c1_orders)\.py,line=\d+")
        self.assertIn("multiple-heads", output)
        self.assertNotIn("not-a-migration", output, "--base leaves out what main already had")
        self.assertEqual(self.step(log, "Every problem")[1], "skipped")
        self.assertEqual(self.step(log, "SARIF for code scanning")[1], "success", log)
        self.assertEqual(self.step(log, "github/codeql-action/upload-sarif@v3")[1], "success")
        rules = {r["ruleId"] for r in self.uploaded["runs"][0]["results"]}
        self.assertTrue({"multiple-heads", "not-a-migration"} <= rules, rules)

        # The branch merges its heads (alembic-lsp merge, as a developer would): it passes,
        # although main's legacy problem is still there.
        self.merge_heads_on("second-head")
        passed, log = self.run_job("pull_request", "second-head")
        self.assertTrue(passed, log)
        self.assertEqual(self.step(log, "Problems this pull request adds")[1], "success")

    def test_push_reports_every_problem(self):
        passed, log = self.run_job("push", "main")
        self.assertFalse(passed, log)
        self.assertEqual(self.step(log, "Problems this pull request adds")[1], "skipped")
        name, outcome, output = self.step(log, "Every problem")
        self.assertEqual(outcome, "failure (1)", output)
        self.assertRegex(output, r"::error file=migrations/versions/helpers\.py,line=\d+.*not-a-migration")
        self.assertEqual(self.step(log, "github/codeql-action/upload-sarif@v3")[1], "success")

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # a --base step
    def test_pull_request_from_a_fork_skips_the_upload(self):
        self.push_branch("clean", {"migrations/versions/c1_orders.py": migration("c1", "b1")})
        passed, log = self.run_job("pull_request", "clean", fork=True)
        self.assertTrue(passed, log)
        self.assertEqual(self.step(log, "Problems this pull request adds")[1], "success")
        self.assertEqual(self.step(log, "github/codeql-action/upload-sarif@v3")[1], "skipped")

    def test_a_wrong_checksum_stops_the_install(self):
        (self.release / "SHA256SUMS").write_text(re.sub(r"^[0-9a-f]{64}", "1" * 64,
                                                        (self.release / "SHA256SUMS").read_text()))
        passed, log = self.run_job("push", "main")
        self.assertFalse(passed)
        name, outcome, output = self.step(log, "Install alembic-lsp")
        self.assertNotEqual(outcome, "success")
        self.assertIn("FAILED", output)
        self.assertEqual(self.step(log, "Every problem")[1], "skipped")
        # Nothing to upload: the SARIF step and the upload wait for an installed binary.
        self.assertEqual(self.step(log, "SARIF for code scanning")[1], "skipped")
        self.assertEqual(self.step(log, "github/codeql-action/upload-sarif@v3")[1], "skipped")


class GitLabRecipeTest(RecipeProjectCase):
    """docs/ci/gitlab-ci.yml: `before_script` then `script`, one bash session with
    `set -eo pipefail` as GitLab's runner runs them, in a full clone (GIT_DEPTH 0), with the
    variables GitLab sets for a merge request or a branch pipeline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job = yaml.safe_load((RECIPES / "gitlab-ci.yml").read_text())["alembic-lsp"]

    def run_job(self, ref, target_branch=None):
        run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=self.tmp))
        workspace = run_dir / "project"
        self.assertEqual(self.clone(workspace, ref).returncode, 0)
        (run_dir / "tmp").mkdir()
        env = dict(self.env, CI="true", GITLAB_CI="true", CI_PROJECT_DIR=str(workspace), TMPDIR=str(run_dir / "tmp"),
                   CI_DEFAULT_BRANCH="main", ALEMBIC_LSP_RELEASE_URL=self.release.as_uri())
        for key, value in self.job["variables"].items():
            env[key] = str(value)
        if target_branch:
            env.update(CI_PIPELINE_SOURCE="merge_request_event", CI_MERGE_REQUEST_TARGET_BRANCH_NAME=target_branch)
        else:
            env.update(CI_PIPELINE_SOURCE="push", CI_COMMIT_BRANCH=ref)
        script = "set -eo pipefail\n" + "\n".join(self.job["before_script"] + self.job["script"]) + "\n"
        r = subprocess.run(["bash", "--noprofile", "--norc", "-c", script], cwd=workspace, env=env,
                           capture_output=True, text=True, timeout=120)
        report_file = workspace / self.job["artifacts"]["reports"]["codequality"]
        report = json.loads(report_file.read_text()) if report_file.exists() else None
        return r.returncode, r.stdout + r.stderr, report

    def test_job_shape(self):
        self.assertEqual(self.job["variables"]["ALEMBIC_LSP_VERSION"], project_version())
        self.assertEqual(str(self.job["variables"]["GIT_DEPTH"]), "0")
        self.assertEqual(self.job["artifacts"]["when"], "always")

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # a --base step
    def test_merge_request_adding_a_head_fails_with_a_code_quality_report(self):
        self.push_branch("second-head", {"migrations/versions/c1_orders.py": migration("c1", "a1")})
        code, out, report = self.run_job("second-head", target_branch="main")
        self.assertEqual(code, 1, out)
        self.assertIn("multiple-heads", out)
        self.assertNotIn("not-a-migration", out, "--base leaves out what main already had")
        # The report has every finding, as GitLab's Code Quality format wants it.
        self.assertIsInstance(report, list)
        by_check = {entry["check_name"]: entry for entry in report}
        self.assertTrue({"multiple-heads", "not-a-migration"} <= set(by_check), report)
        legacy = by_check["not-a-migration"]
        self.assertEqual(legacy["severity"], "critical")
        self.assertEqual(legacy["location"]["path"], "migrations/versions/helpers.py")
        self.assertGreaterEqual(legacy["location"]["lines"]["begin"], 1)
        self.assertRegex(legacy["fingerprint"], r"^[0-9a-f]{16,}$")
        self.assertTrue(legacy["description"])
        self.assertEqual(len({e["fingerprint"] for e in report}), len(report), "fingerprints are unique")

        self.merge_heads_on("second-head")
        code, out, report = self.run_job("second-head", target_branch="main")
        self.assertEqual(code, 0, out)
        self.assertEqual([e["check_name"] for e in report], ["not-a-migration"])

    def test_default_branch_fails_on_every_error(self):
        code, out, report = self.run_job("main")
        self.assertEqual(code, 1, out)
        self.assertIn("not-a-migration", out)
        self.assertEqual([e["check_name"] for e in report], ["not-a-migration"])

    def test_code_quality_fingerprints_stay_unique(self):
        # Two config warnings of one pyproject.toml share code, file and (no) revisions:
        # GitLab would keep one of them if their fingerprints were equal.
        project = self.tmp / "warned"
        project.mkdir()
        (project / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        (project / "pyproject.toml").write_text("[tool.alembic-lsp]\nfirst-unknown = 1\nsecond-unknown = 2\n")
        (project / "migrations" / "versions").mkdir(parents=True)
        (project / "migrations" / "versions" / "a1_start.py").write_text(migration("a1", None))
        r = subprocess.run([BINARY, "check", "--format", "gitlab", "."], cwd=project, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        warnings = [e for e in report if e["check_name"] == "config-warning"]
        self.assertEqual(len(warnings), 2, report)
        self.assertEqual({e["severity"] for e in warnings}, {"minor"})
        self.assertEqual({e["location"]["path"] for e in warnings}, {"pyproject.toml"})
        self.assertEqual(len({e["fingerprint"] for e in report}), len(report), report)

    def test_without_the_release_variable_the_job_says_what_to_set(self):
        job = dict(self.job)
        self.job = dict(job, before_script=["unset ALEMBIC_LSP_RELEASE_URL"] + job["before_script"])
        code, out, report = self.run_job("main")
        self.assertEqual(code, 1)
        self.assertIn("set the CI/CD variable ALEMBIC_LSP_RELEASE_URL", out)
        self.assertIsNone(report)


class PreCommitRecipeTest(unittest.TestCase):
    def setUp(self):
        for tool, package in (("pre-commit", "pre-commit"), ("git", "git")):
            self.assertIsNotNone(shutil.which(tool), f"{tool} is needed: apt-get install {package}")
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-pre-commit-recipe-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        bin_dir = self.tmp / "bin"
        bin_dir.mkdir()
        if WINDOWS:
            wine_launcher(bin_dir / "alembic-lsp")
        else:
            os.symlink(Path(BINARY).resolve(), bin_dir / "alembic-lsp")
        (self.tmp / "home").mkdir()
        self.env = dict(os.environ, **GIT_ENV, HOME=str(self.tmp / "home"), PRE_COMMIT_HOME=str(self.tmp / "cache"),
                        PATH=f"{bin_dir}:{BASE_PATH}")
        self.repo = Repo(self.tmp / "monorepo", self.env)
        self.repo.root.mkdir()
        self.repo.git("init", "-q", "-b", "main")
        for service in ("billing", "auth"):
            self.repo.write(f"services/{service}/alembic.ini", "[alembic]\nscript_location = migrations\n")
            self.repo.write(f"services/{service}/migrations/versions/a1_start.py", migration("a1", None))
            self.repo.write(f"services/{service}/migrations/versions/b1_more.py", migration("b1", "a1"))
        # auth has a problem of its own; the recipe checks billing only.
        self.repo.write("services/auth/migrations/versions/c1_other.py", migration("c1", "a1"))
        shutil.copy(RECIPES / "pre-commit-config.yaml", self.repo.root / ".pre-commit-config.yaml")
        self.repo.commit("start")
        self.repo.git("checkout", "-q", "-b", "feature")
        r = self.pre_commit("install")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def pre_commit(self, *args):
        return subprocess.run(["pre-commit", *args], cwd=self.repo.root, env=self.env, capture_output=True,
                              text=True, timeout=300)

    def commit(self, message):
        self.repo.git("add", "-A")
        r = subprocess.run(["git", "commit", "-m", message], cwd=self.repo.root, env=self.env,
                           capture_output=True, text=True, timeout=300)
        return r.returncode, r.stdout + r.stderr

    def test_recipe_args(self):
        [repo] = yaml.safe_load((RECIPES / "pre-commit-config.yaml").read_text())["repos"]
        [hook] = repo["hooks"]
        self.assertEqual(hook["args"][:2], ["--base", "main"])
        self.assertEqual(hook["entry"], "alembic-lsp check")

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # a --base step
    def test_a_second_head_in_billing_is_refused_and_the_merge_accepted(self):
        billing = "services/billing/migrations/versions"
        self.repo.write(f"{billing}/c1_orders.py", migration("c1", "a1"))
        code, out = self.commit("billing: orders")
        self.assertNotEqual(code, 0, out)
        self.assertIn("multiple-heads", out)
        self.assertIn("services/billing", posix_paths(out))
        self.assertNotIn("services/auth", out, "the hook's args name billing only")
        # A commit outside billing does not run the hook (files:), even with auth's two heads.
        self.repo.git("reset", "-q")
        (self.repo.root / billing / "c1_orders.py").unlink()
        self.repo.write("services/auth/README.md", "auth\n")
        code, out = self.commit("auth: docs")
        self.assertEqual(code, 0, out)
        self.assertIn("Skipped", out)
        # The second head again, with its merge: accepted.
        self.repo.write(f"{billing}/c1_orders.py", migration("c1", "a1"))
        self.repo.write(f"{billing}/d1_merge.py", migration("d1", ("b1", "c1")))
        code, out = self.commit("billing: orders, merged")
        self.assertEqual(code, 0, out)
        self.assertIn("Passed", out)

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # a --base step
    def test_base_leaves_out_what_main_had(self):
        # main gets a legacy problem in billing; a branch from there that adds a clean
        # migration passes, since --base main reports only what the branch adds.
        billing = "services/billing/migrations/versions"
        self.repo.git("checkout", "-q", "main")
        self.repo.write(f"{billing}/helpers.py", "def helper():\n    return 1\n")
        self.repo.git("add", "-A")
        self.repo.git("commit", "-qm", "legacy", "--no-verify")
        self.repo.git("checkout", "-q", "-B", "feature", "main")
        self.repo.write(f"{billing}/c1_orders.py", migration("c1", "b1"))
        code, out = self.commit("billing: orders")
        self.assertEqual(code, 0, out)
        self.assertIn("Passed", out)
        r = subprocess.run(["alembic-lsp", "check", "services/billing"], cwd=self.repo.root, env=self.env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 1, "without --base the legacy problem fails")
        self.assertIn("not-a-migration", r.stdout)


class PreCommitPythonRecipeTest(unittest.TestCase):
    """docs/ci/pre-commit-python.yaml: pre-commit installs the wheel into the hook's own
    virtualenv and runs it. Offline: pip gets `PIP_NO_INDEX` and, as the recipe says,
    `PIP_FIND_LINKS` naming a folder with the wheel. The wheel is a stand-in: the release
    wheel needs the static binary (scripts/build-static.sh, too slow for every run), so
    scripts/build-wheel.py packs the binary under test with its static check skipped."""

    def setUp(self):
        for tool, package in (("pre-commit", "pre-commit"), ("git", "git")):
            self.assertIsNotNone(shutil.which(tool), f"{tool} is needed: apt-get install {package}")
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-pre-commit-python-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        wheels = self.tmp / "wheels"
        binary = stripped_binary(self.tmp)
        spec = importlib.util.spec_from_file_location("build_wheel", SOURCE_DIR / "scripts" / "build-wheel.py")
        build_wheel = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(build_wheel)
        build_wheel.check_binary = lambda path, arch: None  # the stand-in: a dynamically linked binary
        argv = sys.argv
        sys.argv = ["build-wheel.py", "--binary", str(binary), "--arch", os.uname().machine,
                    "--out", str(wheels)]
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                build_wheel.main()
        finally:
            sys.argv = argv
        self.assertEqual(len(list(wheels.glob("alembic_lsp-*.whl"))), 1)
        (self.tmp / "home").mkdir()
        # No alembic-lsp on PATH: the hook's environment is the only place it comes from.
        self.env = dict(GIT_ENV, HOME=str(self.tmp / "home"), PRE_COMMIT_HOME=str(self.tmp / "cache"),
                        PATH=BASE_PATH, LC_ALL="C.UTF-8", PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheels),
                        PIP_DISABLE_PIP_VERSION_CHECK="1")
        self.assertIsNone(shutil.which("alembic-lsp", path=BASE_PATH), "alembic-lsp is installed system-wide")
        self.repo = Repo(self.tmp / "app", self.env)
        self.repo.root.mkdir()
        self.repo.git("init", "-q", "-b", "main")
        self.repo.write("alembic.ini", "[alembic]\nscript_location = migrations\n")
        self.repo.write("migrations/versions/a1_start.py", migration("a1", None))
        self.repo.write("migrations/versions/b1_more.py", migration("b1", "a1"))
        shutil.copy(RECIPES / "pre-commit-python.yaml", self.repo.root / ".pre-commit-config.yaml")
        self.repo.commit("start")
        self.repo.git("checkout", "-q", "-b", "feature")

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # a --base step
    def test_hook_installs_the_wheel_and_refuses_a_second_head(self):
        [repo] = yaml.safe_load((RECIPES / "pre-commit-python.yaml").read_text())["repos"]
        [hook] = repo["hooks"]
        self.assertEqual(hook["additional_dependencies"], [f"alembic-lsp=={project_version()}"])
        self.repo.write("migrations/versions/c1_orders.py", migration("c1", "a1"))
        self.repo.git("add", "-A")
        r = subprocess.run(["pre-commit", "run"], cwd=self.repo.root, env=self.env, capture_output=True,
                           text=True, timeout=300)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("multiple-heads", r.stdout)
        self.repo.write("migrations/versions/d1_merge.py", migration("d1", ("b1", "c1")))
        self.repo.git("add", "-A")
        r = subprocess.run(["pre-commit", "run"], cwd=self.repo.root, env=self.env, capture_output=True,
                           text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("Passed", r.stdout)


class ReadmeShowsTheTestedRecipesTest(unittest.TestCase):
    def test_readme_blocks_are_the_recipe_files(self):
        readme = (SOURCE_DIR / "README.md").read_text()
        blocks = [b.strip() for b in re.findall(r"^```yaml\n(.*?)^```", readme, re.S | re.M)]
        for name in ("github-actions.yml", "gitlab-ci.yml", "pre-commit-config.yaml", "pre-commit-python.yaml"):
            with self.subTest(recipe=name):
                self.assertIn((RECIPES / name).read_text().strip(), blocks,
                              f"README.md shows docs/ci/{name} other than it is (copy the file into its block)")


if __name__ == "__main__":
    unittest.main()
