// Diagnostics: the Diagnostic itself, publishDiagnostics (push), and the pull model's
// textDocument/diagnostic and workspace/diagnostic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/lsp_types.h"

namespace alembic::protocol {

struct DiagnosticRelatedInformation {
  Location location;
  std::string message;
  bool operator==(const DiagnosticRelatedInformation&) const = default;
};
void to_json(json& out, const DiagnosticRelatedInformation& value);

struct Diagnostic {
  Range range;
  int severity = 1;  ///< DiagnosticSeverity: 1 error .. 4 hint
  std::string code;
  std::string source;
  std::string message;
  std::optional<std::string> code_description_href;  ///< codeDescription.href, when known
  std::vector<DiagnosticRelatedInformation> related_information;  ///< omitted when empty
  json data;  ///< the server's own (LSPAny); omitted when null
  bool operator==(const Diagnostic&) const = default;
};
void to_json(json& out, const Diagnostic& value);

struct PublishDiagnosticsParams {
  std::string uri;
  std::vector<Diagnostic> diagnostics;
};
void to_json(json& out, const PublishDiagnosticsParams& value);

struct DocumentDiagnosticParams {
  TextDocumentIdentifier text_document;
  std::optional<std::string> previous_result_id;
};
void from_json(const json& in, DocumentDiagnosticParams& value);

struct PreviousResultId {
  std::string uri;
  std::string value;
};
void from_json(const json& in, PreviousResultId& value);

struct WorkspaceDiagnosticParams {
  std::vector<PreviousResultId> previous_result_ids;
};
void from_json(const json& in, WorkspaceDiagnosticParams& value);

/// A full or unchanged report of one document; `uri` set for workspace/diagnostic's
/// items (which then carry version null).
struct DocumentDiagnosticReport {
  bool unchanged = false;
  std::string result_id;
  std::vector<Diagnostic> items;  ///< a full report's
  std::optional<std::string> uri;
};
void to_json(json& out, const DocumentDiagnosticReport& value);

struct WorkspaceDiagnosticReport {
  std::vector<DocumentDiagnosticReport> items;
};
void to_json(json& out, const WorkspaceDiagnosticReport& value);

}  // namespace alembic::protocol
