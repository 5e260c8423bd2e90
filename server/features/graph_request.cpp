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
      envs.push_back(graph_json(env->environment.name, config, env->scripts, env->graph));
    }
    return json{{"indexed", session.indexed()}, {"environments", std::move(envs)}};
  });
}

}  // namespace alembic::server
