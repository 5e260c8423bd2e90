#include "analysis/finding_examples.h"

#include <array>
#include <string>

#include "analysis/finding_examples_operations.h"

namespace alembic {

namespace {

// The history, file and configuration codes, in Code order; the operation codes follow
// (finding_examples_operations.h).
constexpr std::array<FindingExample, kCodeCount - examples::kOperationExamples.size()>
    kHistoryExamples = {{
        // multiple-heads
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
=== migrations/versions/3000cccc0003_add_orders.py
revision = "3000cccc0003"
down_revision = "1000aaaa0001"
)ex",
         R"ex(=== migrations/versions/4000dddd0004_merge_heads.py
revision = "4000dddd0004"
down_revision = ("2000bbbb0002", "3000cccc0003")
)ex"},
        // missing-revision
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0009"
)ex",
         R"ex(=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex"},
        // duplicate-revision
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
=== migrations/versions/2000bbbb0002_add_phone.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex",
         R"ex(--- migrations/versions/2000bbbb0002_add_phone.py
=== migrations/versions/3000cccc0003_add_phone.py
revision = "3000cccc0003"
down_revision = "2000bbbb0002"
)ex"},
        // revision-cycle
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "3000cccc0003"
=== migrations/versions/3000cccc0003_add_orders.py
revision = "3000cccc0003"
down_revision = "2000bbbb0002"
)ex",
         R"ex(=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex"},
        // unexpected-base
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
=== migrations/versions/3000cccc0003_add_orders.py
revision = "3000cccc0003"
down_revision = None
)ex",
         R"ex(=== migrations/versions/3000cccc0003_add_orders.py
revision = "3000cccc0003"
down_revision = "2000bbbb0002"
)ex"},
        // branch-label-conflict
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
branch_labels = ("core",)
=== migrations/versions/2000bbbb0002_create_reports.py
revision = "2000bbbb0002"
down_revision = None
branch_labels = ("core",)
)ex",
         R"ex(=== migrations/versions/2000bbbb0002_create_reports.py
revision = "2000bbbb0002"
down_revision = None
branch_labels = ("reports",)
)ex"},
        // invalid-revision-id
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000-bbbb-0002"
down_revision = "1000aaaa0001"
)ex",
         R"ex(=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex"},
        // unresolved-value
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
from myapp.db import latest_revision

revision = "2000bbbb0002"
down_revision = latest_revision()
)ex",
         R"ex(=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex"},
        // header-mismatch
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
"""add email

Revision ID: 2000bbbb0002
Revises: 1500eeee0005
"""
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex",
         R"ex(=== migrations/versions/2000bbbb0002_add_email.py
"""add email

Revision ID: 2000bbbb0002
Revises: 1000aaaa0001
"""
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex"},
        // syntax-error
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
<<<<<<< HEAD
down_revision = "1000aaaa0001"
=======
down_revision = "1500eeee0005"
>>>>>>> feature/email
)ex",
         R"ex(=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex"},
        // not-a-migration
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/helpers.py
def add_timestamps(table):
    return table
)ex",
         R"ex(--- migrations/versions/helpers.py
=== migrations/helpers.py
def add_timestamps(table):
    return table
)ex"},
        // missing-down-revision
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revison = "1000aaaa0001"
)ex",
         R"ex(=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex"},
        // empty-down-revision
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = ""
)ex",
         R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
)ex"},
        // unread-migrations
        {R"ex(=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2024/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex",
         R"ex(=== alembic.ini
[alembic]
script_location = migrations
recursive_version_locations = true
)ex"},
        // io-error
        {"migrations/versions/2000bbbb0002_add_email.py is a symbolic link to a file that no "
         "longer exists, or a version location cannot be listed because of its permissions.",
         ""},
        // config-error
        {R"ex(--- alembic.ini
=== pyproject.toml
[project]
name = "shop"
dependencies = ["alembic==1.13.2"]

[tool.alembic]
script_location = "migrations"
=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
)ex",
         R"ex(=== pyproject.toml
[project]
name = "shop"
dependencies = ["alembic==1.13.2"]
=== alembic.ini
[alembic]
script_location = migrations
)ex"},
        // config-warning
        {R"ex(=== pyproject.toml
[tool.alembic-lsp]
expected-head = 2
=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
)ex",
         R"ex(=== pyproject.toml
[tool.alembic-lsp]
expected-heads = 1
)ex"},
        // head-file-mismatch
        {R"ex(=== pyproject.toml
[tool.alembic-lsp]
head-file = "migrations/HEAD"
=== migrations/HEAD
1000aaaa0001
=== migrations/versions/1000aaaa0001_create_users.py
revision = "1000aaaa0001"
down_revision = None
=== migrations/versions/2000bbbb0002_add_email.py
revision = "2000bbbb0002"
down_revision = "1000aaaa0001"
)ex",
         R"ex(=== migrations/HEAD
# The head revision of the Alembic migrations, kept by alembic-lsp ([tool.alembic-lsp]
# head-file). A git conflict in this file means two branches each added a migration:
# merge the heads (alembic-lsp merge) or rebase one branch onto the other head.
2000bbbb0002
)ex"},
    }};
static_assert(static_cast<size_t>(Code::NotNullWithoutDefault) == kHistoryExamples.size(),
              "the operation codes' examples start at not-null-without-default");

template <size_t A, size_t B>
constexpr std::array<FindingExample, A + B> joined(const std::array<FindingExample, A>& a,
                                                   const std::array<FindingExample, B>& b) {
  std::array<FindingExample, A + B> out{};
  for (size_t i = 0; i < A; ++i) out[i] = a[i];
  for (size_t i = 0; i < B; ++i) out[A + i] = b[i];
  return out;
}

// In Code order (static_assert below).
constexpr std::array<FindingExample, kCodeCount> kExamples =
    joined(kHistoryExamples, examples::kOperationExamples);

constexpr bool every_code_has_an_example() {
  for (const FindingExample& e : kExamples)
    if (e.setup.empty()) return false;
  return true;
}
static_assert(every_code_has_an_example(), "every finding code needs an example");

std::string_view language_of(std::string_view path) {
  if (path.size() >= 3 && path.substr(path.size() - 3) == ".py") return "python";
  if (path.size() >= 4 && path.substr(path.size() - 4) == ".ini") return "ini";
  if (path.size() >= 5 && path.substr(path.size() - 5) == ".toml") return "toml";
  return "";
}

}  // namespace

const FindingExample& example_of(Code code) {
  return kExamples[static_cast<size_t>(code)];
}

std::string example_markdown(std::string_view blocks) {
  if (blocks.rfind("=== ", 0) != 0 && blocks.rfind("--- ", 0) != 0)
    return std::string(blocks) + "\n";  // prose
  std::string out;
  bool open = false;
  size_t pos = 0;
  while (pos < blocks.size()) {
    size_t end = blocks.find('\n', pos);
    if (end == std::string_view::npos) end = blocks.size();
    const std::string_view line = blocks.substr(pos, end - pos);
    pos = end + 1;
    const bool write = line.rfind("=== ", 0) == 0, remove = line.rfind("--- ", 0) == 0;
    if (write || remove) {
      if (open) out += "```\n\n";
      open = false;
      const std::string_view path = line.substr(4);
      if (remove) {
        out += "Delete `" + std::string(path) + "`.\n\n";
      } else {
        out += "`" + std::string(path) + "`:\n\n```" + std::string(language_of(path)) + "\n";
        open = true;
      }
      continue;
    }
    out += std::string(line) + "\n";
  }
  if (open) out += "```\n";
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

}  // namespace alembic
