// The typed LSP edge (protocol/lsp_*.h): what a bad member is answered with, and the
// exact JSON the server's results take.
#include <gtest/gtest.h>

#include <string>

#include "protocol/lsp_diagnostics.h"
#include "protocol/lsp_edits.h"
#include "protocol/lsp_language.h"
#include "protocol/lsp_lifecycle.h"
#include "protocol/lsp_sync.h"

using namespace alembic::protocol;

namespace {

// The InvalidParams message read_params answers `params` with, or "" when it reads.
template <typename T>
std::string refusal(const char* params) {
  try {
    (void)read_params<T>(json::parse(params));
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code, static_cast<int>(ErrorCode::InvalidParams));
    return e.what();
  }
  return "";
}

}  // namespace

TEST(LspTypes, ErrorsNameTheMemberPath) {
  EXPECT_EQ(refusal<TextDocumentPositionParams>(
                R"({"textDocument": {}, "position": {"line": 0, "character": 0}})"),
            "missing field 'textDocument.uri'");
  EXPECT_EQ(refusal<TextDocumentPositionParams>(
                R"({"textDocument": {"uri": 7}, "position": {"line": 0, "character": 0}})"),
            "field 'textDocument.uri': type must be string, but is number");
  EXPECT_EQ(refusal<TextDocumentPositionParams>(R"({"textDocument": 42, "position": "x"})"),
            "field 'textDocument': must be an object, but is number");
  EXPECT_EQ(refusal<TextDocumentPositionParams>(R"("a string")"),
            "params must be an object, but is string");
  const std::string negative = refusal<TextDocumentPositionParams>(
      R"({"textDocument": {"uri": "file:///a.py"}, "position": {"line": -1, "character": 0}})");
  EXPECT_EQ(negative.rfind("field 'position': ", 0), 0u) << negative;
  EXPECT_EQ(refusal<DidChangeTextDocumentParams>(
                R"({"textDocument": {"uri": "file:///a.py"},
                    "contentChanges": [{"text": "a"}, {"text": 5}]})"),
            "field 'contentChanges[1].text': type must be string, but is number");
  EXPECT_EQ(refusal<RenameParams>(R"({"textDocument": {"uri": "file:///a.py"},
                                      "position": {"line": 0, "character": 0}})"),
            "missing field 'newName'");
  EXPECT_EQ(refusal<TypeHierarchyParams>(R"({"item": {"name": "x"}})"),
            "missing field 'item.data'");
  EXPECT_EQ(refusal<ReferenceParams>(R"({"textDocument": {"uri": "file:///a.py"},
      "position": {"line": 0, "character": 0}, "context": {"includeDeclaration": "yes"}})"),
            "field 'context.includeDeclaration': type must be boolean, but is string");
}

TEST(LspTypes, OptionalMembersMayBeMissingOrNull) {
  const auto p = read_params<ReferenceParams>(
      R"({"textDocument": {"uri": "file:///a.py"}, "position": {"line": 2, "character": 3}})"_json);
  EXPECT_FALSE(p.include_declaration);
  EXPECT_EQ(p.position, (Position{2, 3}));
  const auto change = read_params<DidChangeTextDocumentParams>(
      R"({"textDocument": {"uri": "u", "version": null}, "contentChanges": [{"range": null, "text": "x"}]})"_json);
  EXPECT_FALSE(change.text_document.version);
  EXPECT_FALSE(change.content_changes.at(0).range);
}

TEST(LspTypes, ClientDiagnosticsAreReadLeniently) {
  const auto params = read_params<CodeActionParams>(R"({
      "textDocument": {"uri": "file:///a.py"},
      "context": {"only": ["quickfix", 3],
                  "diagnostics": [7, {"code": 12, "source": "other", "severity": "high",
                                      "range": "nowhere", "message": "m"}]}})"_json);
  ASSERT_EQ(params.context.diagnostics.size(), 2u);
  EXPECT_FALSE(params.context.diagnostics[0].is_object);
  const ClientDiagnostic& d = params.context.diagnostics[1];
  EXPECT_EQ(d.code, "12");
  EXPECT_EQ(d.source, "other");
  EXPECT_FALSE(d.severity);
  EXPECT_FALSE(d.range);
  EXPECT_EQ(d.value["message"], "m");  // echoed as sent
  EXPECT_EQ(params.context.only, (std::vector<std::string>{"quickfix"}));
  EXPECT_FALSE(params.range);
}

TEST(LspTypes, WorkspaceEditShapes) {
  WorkspaceEdit edit;
  edit.document_changes = {CreateFile{"file:///n.py", {}, std::nullopt},
                           TextDocumentEdit{{"file:///n.py", std::nullopt}, {{{}, "text", "a"}}},
                           RenameFile{"file:///a.py", "file:///b.py", {}, "a"}};
  edit.change_annotations["a"] = {"label", true, "why"};
  EXPECT_EQ(json(edit), R"({
      "documentChanges": [
        {"kind": "create", "uri": "file:///n.py",
         "options": {"overwrite": false, "ignoreIfExists": false}},
        {"textDocument": {"uri": "file:///n.py", "version": null},
         "edits": [{"range": {"start": {"line": 0, "character": 0},
                              "end": {"line": 0, "character": 0}},
                    "newText": "text", "annotationId": "a"}]},
        {"kind": "rename", "oldUri": "file:///a.py", "newUri": "file:///b.py",
         "options": {"overwrite": false, "ignoreIfExists": false}, "annotationId": "a"}],
      "changeAnnotations": {"a": {"label": "label", "needsConfirmation": true,
                                  "description": "why"}}})"_json);
  WorkspaceEdit plain;
  plain.changes.emplace();
  EXPECT_EQ(json(plain), R"({"changes": {}})"_json);
}

TEST(LspTypes, ResultsOmitWhatIsAbsent) {
  DocumentSymbol leaf{"b1", "parent", SymbolKind::Field, {}, {}, std::nullopt};
  const json j = leaf;
  EXPECT_FALSE(j.contains("children"));
  EXPECT_EQ(j["kind"], 8);
  DocumentSymbol root{"a", std::nullopt, SymbolKind::Class, {}, {}, std::vector<DocumentSymbol>{}};
  EXPECT_EQ(json(root)["children"], json::array());
  EXPECT_FALSE(json(root).contains("detail"));

  Diagnostic d;
  d.code = "multiple-heads";
  d.source = "alembic";
  d.message = "m";
  EXPECT_FALSE(json(d).contains("relatedInformation"));
  EXPECT_FALSE(json(d).contains("data"));

  DocumentDiagnosticReport unchanged{true, "id", {}, "file:///a.py"};
  EXPECT_EQ(
      json(unchanged),
      R"({"kind": "unchanged", "resultId": "id", "uri": "file:///a.py", "version": null})"_json);

  std::vector<CodeActionOrCommand> actions = {Command{"t", "c", {}}};
  EXPECT_EQ(json(actions), R"([{"title": "t", "command": "c"}])"_json);
}

TEST(LspTypes, ClientCapabilitiesIgnoreWrongTypes) {
  const auto caps = R"({"workspace": {"applyEdit": "yes",
                        "workspaceEdit": {"documentChanges": true,
                                          "resourceOperations": ["create", 5]}},
                        "textDocument": {"hover": {"contentFormat": ["markdown"]}},
                        "general": {"positionEncodings": ["utf-8"]}})"_json
                        .get<ClientCapabilities>();
  EXPECT_FALSE(caps.apply_edit);
  EXPECT_TRUE(caps.document_changes);
  EXPECT_TRUE(caps.create_files);
  EXPECT_FALSE(caps.rename_files);
  EXPECT_TRUE(caps.markdown_hover);
  EXPECT_EQ(caps.position_encoding, PositionEncoding::Utf8);
  EXPECT_EQ(refusal<InitializeParams>("[1]"), "params must be an object, but is array");
  const auto init = read_params<InitializeParams>(
      R"({"processId": "x", "rootUri": 5, "workspaceFolders": [{"uri": "file:///w"}, 3]})"_json);
  EXPECT_FALSE(init.process_id);
  EXPECT_FALSE(init.root_uri);
  EXPECT_EQ(init.workspace_folders, (std::vector<std::string>{"file:///w"}));
}
