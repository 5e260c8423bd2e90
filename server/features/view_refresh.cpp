// Code lenses and inlay hints of one file tell facts about others (how many children a
// revision has, the message of a parent), so the client's copies go stale when another
// file changes. After each change, a fingerprint of those facts is compared with the last
// one; when it differs, workspace/codeLens/refresh and workspace/inlayHint/refresh ask
// the client (when it supports them) to request them again. Edits that do not touch the
// history (an upgrade() body) change nothing and send nothing.
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/features/features.h"
#include "server/features/revision_items.h"

namespace alembic::server {

namespace {

class Fingerprint {
 public:
  void add(std::string_view text) {
    for (unsigned char c : text) mix(c);
    mix(0xff);  // a separator no UTF-8 text contains
  }
  void add(const std::vector<std::string>& list) {
    for (const std::string& s : list) add(s);
    mix(0xfe);
  }
  uint64_t value() const { return h_; }

 private:
  void mix(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ULL;
  }
  uint64_t h_ = 1469598103934665603ULL;
};

uint64_t view_facts(const Session& session) {
  Fingerprint f;
  for (const auto& env : session.environments()) {
    const GraphAnalysis& g = env->graph;
    for (size_t i = 0; i < g.revisions.size(); ++i) {
      const Revision& r = g.revisions[i];
      f.add(r.id);
      f.add(script_of_revision(*env, i).path);
      f.add(revision_summary(*env, i));
      f.add(r.down_revisions);
      f.add(r.children);
      f.add(r.branch_labels);
    }
    f.add(g.heads);
    f.add(g.bases);
  }
  return f.value();
}

}  // namespace

void register_view_refresh(Session& session) {
  session.core.after_change.push_back([&session, last = std::optional<uint64_t>()]() mutable {
    if (!session.client.code_lens_refresh && !session.client.inlay_hint_refresh) return;
    const uint64_t now = view_facts(session);
    if (last == now) return;
    last = now;
    auto ignore = [](const protocol::Reply&) {};
    if (session.client.code_lens_refresh)
      session.endpoint.send_request("workspace/codeLens/refresh", nullptr, ignore);
    if (session.client.inlay_hint_refresh)
      session.endpoint.send_request("workspace/inlayHint/refresh", nullptr, ignore);
  });
}

}  // namespace alembic::server
