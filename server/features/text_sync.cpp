// textDocument/didOpen, didChange, didClose, didSave: the editor's text wins while open.
#include <spdlog/spdlog.h>

#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/uri.h"

namespace alembic::server {

void register_text_sync(Session& session) {
  auto& ep = session.endpoint;

  ep.on_notification("textDocument/didOpen", [&session](const json& params) {
    std::string path = document_path(params);
    session.invalidate(path);
    session.core.workspace().open_document(path, params.at("textDocument").at("text").get<std::string>());
    session.republish(path);
    session.changed();
  });

  ep.on_notification("textDocument/didChange", [&session](const json& params) {
    std::string path = document_path(params);
    const std::string* current = session.core.workspace().document_text(path);
    if (!current) {
      spdlog::warn("didChange for {}, which is not open; ignored", path);
      return;
    }
    // Each change applies to the result of the previous one (LSP 3.17).
    const uint64_t generation = session.core.workspace().generation();
    // An edit that changed no value the analysis reads (the body of upgrade(), a
    // comment) changes no diagnostic: their ranges are the same bytes, lines and columns.
    auto done = [&] {
      session.invalidate(path);
      if (session.core.workspace().generation() != generation) session.changed();
    };
    std::string text = *current;
    try {
      for (const json& change : params.at("contentChanges")) {
        protocol::ByteEdit edit = protocol::apply_content_change(text, change, session.encoding);
        std::string_view inserted(text.data() + edit.start_byte,
                                  edit.new_end_byte - edit.start_byte);
        session.core.workspace().edit_document(path, static_cast<uint32_t>(edit.start_byte),
                                        static_cast<uint32_t>(edit.old_end_byte), inserted);
      }
    } catch (...) {
      done();  // the changes before the bad one are applied: publish what they did
      throw;
    }
    done();
  });

  ep.on_notification("textDocument/didClose", [&session](const json& params) {
    std::string path = document_path(params);
    session.core.workspace().close_document(path);
    session.invalidate(path);
    session.changed();
  });

  ep.on_notification("textDocument/didSave", [&session](const json& params) {
    // The open text already is what was saved; nothing to re-read.
    (void)document_path(params);
  });
}

}  // namespace alembic::server
