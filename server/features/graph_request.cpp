// `alembic/graph`: the revision graph of one environment (params.uri) or of all.
#include "server/features/features.h"
#include "server/graph_json.h"
#include "server/uri.h"

namespace alembic::server {

void register_graph_request(Session& session) {
  session.endpoint.on_request("alembic/graph", [&session](const json& params, const protocol::RequestContext&) {
    const EnvironmentState* only = nullptr;
    if (params.is_object() && params.contains("uri") && params["uri"].is_string()) {
      auto path = uri_to_path(params["uri"].get<std::string>());
      if (!path) throw protocol::RpcError(protocol::ErrorCode::InvalidParams, "not a file URI: " + params["uri"].get<std::string>());
      only = session.core.workspace().environment_near(*path);
    }
    json envs = json::array();
    for (const auto& env : session.environments()) {
      if (only && env.get() != only) continue;
      std::string config = env->environment.config_path ? env->environment.config_path->string() : "";
      json one = graph_json(env->environment.name, config, env->scripts, env->graph);
      // The ini section Alembic reads (`alembic -n SECTION`): null for pyproject.toml and
      // bare folders. The editors' "Upgrade to here" etc. pass `-n` when it is not "alembic".
      const std::string& section = env->environment.config_section;
      bool ini = !section.empty() && section != "tool.alembic";
      one["section"] = ini ? json(section) : json(nullptr);
      envs.push_back(std::move(one));
    }
    return json{{"indexed", session.indexed()}, {"environments", std::move(envs)}};
  });
}

}  // namespace alembic::server
