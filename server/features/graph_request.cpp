// `alembic/graph`: the revision graph of one environment (params.uri) or of all.
#include "server/features/features.h"
#include "server/graph_json.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

// The params: any value; only a string `uri` narrows the answer to its environment.
struct GraphParams {
  std::optional<std::string> uri;
};

void from_json(const json& in, GraphParams& value) {
  protocol::read_lenient(in, "uri", value.uri);
}

struct GraphResult {
  bool indexed = false;
  std::vector<json> environments;  ///< graph_json's shape (server/graph_json.h)
};

void to_json(json& out, const GraphResult& value) {
  out = {{"indexed", value.indexed}, {"environments", value.environments}};
}

GraphResult graph(Session& session, const GraphParams& params) {
  const EnvironmentState* only = nullptr;
  if (params.uri) {
    auto path = uri_to_path(*params.uri);
    if (!path)
      throw protocol::RpcError(protocol::ErrorCode::InvalidParams,
                               "not a file URI: " + *params.uri);
    only = session.core.workspace().environment_near(*path);
  }
  GraphResult result{session.indexed(), {}};
  for (const auto& env : session.environments()) {
    if (only && env.get() != only) continue;
    std::string config = env->environment.config_path ? env->environment.config_path->string() : "";
    json one = graph_json(env->environment.name, config, env->scripts, env->graph);
    // The ini section Alembic reads (`alembic -n SECTION`): null for pyproject.toml and
    // bare folders. The editors' "Upgrade to here" etc. pass `-n` when it is not "alembic".
    const std::string& section = env->environment.config_section;
    bool ini = !section.empty() && section != "tool.alembic";
    one["section"] = ini ? json(section) : json(nullptr);
    result.environments.push_back(std::move(one));
  }
  return result;
}

}  // namespace

void register_graph_request(Session& session) {
  session.endpoint.on_request("alembic/graph",
                              [&session](const json& params, const protocol::RequestContext&) {
                                // Any params are accepted (none, null, an object without uri): read
                                // leniently.
                                GraphParams p;
                                if (params.is_object()) from_json(params, p);
                                return json(graph(session, p));
                              });
}

}  // namespace alembic::server
