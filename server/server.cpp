#include "server/server.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "platform/system.h"
#include "protocol/endpoint.h"
#include "server/features/features.h"
#include "server/memory_release.h"
#include "server/session.h"

namespace alembic::server {

int serve(protocol::ByteStream& stream) {
  // Before anything is allocated: a session of hours keeps its resident memory near what
  // it uses (platform/system.h; the soak test checks it).
  platform::allocator_configure_for_long_run();
  protocol::Endpoint endpoint(stream);
  int exit_code = 1;
  {
    Session session(endpoint);
    // The dispatch table: each feature registers its LSP methods.
    for (auto register_feature :
         {register_lifecycle, register_text_sync, register_workspace_sync, register_definition,
          register_references, register_hover, register_code_actions, register_rename,
          register_graph_request, register_completion, register_symbols, register_code_lens,
          register_new_migration, register_inlay_hints, register_type_hierarchy,
          register_pull_diagnostics, register_view_refresh, register_migrations_view}) {
      register_feature(session);
    }
    // branch-conflict is too slow for an edit's path at 100,000 migrations: it is computed
    // a quarter second after the last message, and stops as soon as another one waits
    // (server/branch_conflict_lint.h).
    endpoint.on_idle(std::chrono::milliseconds(250), [&session, &endpoint] {
      session.core.refresh_branch_conflicts([&endpoint] { return endpoint.input_waiting(); });
    });
    // Once a burst of traffic is over, what glibc kept of its freed temporaries goes back
    // to the system (server/memory_release.h). Not after every publish: measuring the
    // free memory walks every free chunk of the heap, 13-18 ms per edit at 100,000
    // migrations, more than the edit itself (bench/run.py, a profile of that session).
    // After a second without a message (a pause in typing, not between keystrokes), what
    // grew by 1 MB or more since the last release goes back.
    MemoryRelease memory;
    endpoint.on_idle(std::chrono::milliseconds(1000), [&memory] { memory.release(); });
    protocol::StopReason why = endpoint.run();
    spdlog::info("server loop ended: {}", protocol::to_string(why));
    if (why == protocol::StopReason::Stopped) {
      exit_code = session.exit_code;  // `exit`, or the client's process died
    } else {
      // The client went away without `exit`: clean only if it had asked to shut down.
      exit_code = session.lifecycle == Lifecycle::ShutDown ? 0 : 1;
    }
  }
  return exit_code;
}

}  // namespace alembic::server
