// textDocument/didOpen, didChange, didClose, didSave: the editor's text wins while open.
#include "protocol/lsp_sync.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

void did_open(Session& session, const protocol::DidOpenTextDocumentParams& params) {
  session.open_document(document_path(params.text_document.uri), params.text_document.text);
}

void did_change(Session& session, const protocol::DidChangeTextDocumentParams& params) {
  session.change_document(document_path(params.text_document.uri), params.content_changes);
}

void did_close(Session& session, const protocol::DocumentParams& params) {
  session.close_document(document_path(params.text_document));
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
