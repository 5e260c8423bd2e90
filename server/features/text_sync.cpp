// textDocument/didOpen, didChange, didClose, didSave: the editor's text wins while open.
#include <spdlog/spdlog.h>

#include "protocol/lsp_sync.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

void did_open(Session& session, const protocol::DidOpenTextDocumentParams& params) {
  std::string path = document_path(params.text_document.uri);
  session.invalidate(path);
  session.core.workspace().open_document(path, params.text_document.text);
  session.republish(path);
  session.changed();
}

void did_change(Session& session, const protocol::DidChangeTextDocumentParams& params) {
  std::string path = document_path(params.text_document.uri);
  const std::string* current = session.core.workspace().document_text(path);
  if (!current) {
    spdlog::warn("didChange for {}, which is not open; ignored", path);
    return;
  }
  // Each change applies to the result of the previous one (LSP 3.17).
  const uint64_t generation = session.core.workspace().generation();
  // An edit that changed no value the analysis reads (the body of upgrade(), a
  // comment) changes no diagnostic: their ranges are the same bytes, lines and columns.
  std::string text = *current;
  for (const protocol::TextDocumentContentChangeEvent& change : params.content_changes) {
    protocol::ByteEdit edit =
        protocol::apply_content_change(text, change.range, change.text, session.encoding);
    std::string_view inserted(text.data() + edit.start_byte, edit.new_end_byte - edit.start_byte);
    session.core.workspace().edit_document(path, static_cast<uint32_t>(edit.start_byte),
                                           static_cast<uint32_t>(edit.old_end_byte), inserted);
  }
  session.invalidate(path);
  if (session.core.workspace().generation() != generation) session.changed();
}

void did_close(Session& session, const protocol::DocumentParams& params) {
  std::string path = document_path(params.text_document);
  session.core.workspace().close_document(path);
  session.invalidate(path);
  session.changed();
}

}  // namespace

void register_text_sync(Session& session) {
  on_notification<protocol::DidOpenTextDocumentParams>(session, "textDocument/didOpen", did_open);
  on_notification<protocol::DidChangeTextDocumentParams>(session, "textDocument/didChange",
                                                         did_change);
  on_notification<protocol::DocumentParams>(session, "textDocument/didClose", did_close);
  // The open text already is what was saved; nothing to re-read.
  on_notification<protocol::DocumentParams>(session, "textDocument/didSave",
                                            [](Session&, const protocol::DocumentParams& params) {
                                              (void)document_path(params.text_document);
                                            });
}

}  // namespace alembic::server
