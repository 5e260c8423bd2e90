#include "analysis/constants.h"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <system_error>

#include "analysis/constants_module.h"
#include "analysis/discovery.h"
#include "platform/path_text.h"

namespace alembic {

namespace fs = std::filesystem;
using constants::Binding;
using constants::Expr;
using constants::ModuleBindings;

namespace {

constexpr int kMaxSteps = 24;      // bindings followed for one name
constexpr int kMaxAncestors = 16;  // directories searched above a migration
constexpr uint32_t kEnd = std::numeric_limits<uint32_t>::max();

std::optional<std::string> read_disk_impl(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMaxModuleBytes) return std::nullopt;
  try {
    return read_file_bytes(path);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool is_installed_dir(const fs::path& p) {
  for (const auto& part : p) {
    const std::string s = part.string();
    if (s == "site-packages" || s == "dist-packages") return true;
  }
  return false;
}

bool is_project_root(const fs::path& dir) {
  std::error_code ec;
  for (const char* marker : {".git", "pyproject.toml", "setup.py", "setup.cfg"})
    if (fs::exists(dir / marker, ec)) return true;
  return false;
}

std::vector<std::string> split_dots(const std::string& dotted) {
  std::vector<std::string> parts;
  size_t from = 0;
  while (from <= dotted.size() && !dotted.empty()) {
    const size_t dot = dotted.find('.', from);
    parts.push_back(dotted.substr(from, dot == std::string::npos ? std::string::npos : dot - from));
    if (dot == std::string::npos) break;
    from = dot + 1;
  }
  return parts;
}

}  // namespace

std::optional<std::string> read_module_file(const fs::path& path) {
  return read_disk_impl(path);
}

bool has_named_values(const ParsedMigration& parsed) {
  for (const AssignedValue* v :
       {&parsed.revision, &parsed.down_revision, &parsed.branch_labels, &parsed.depends_on})
    for (const UnresolvedValue& u : v->unresolved)
      if (constants::dotted_name(u.expression).kind == Expr::Name) return true;
  return false;
}

struct ConstantResolver::Impl {
  ModuleReader read;
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const ModuleBindings>> cache;

  std::shared_ptr<const ModuleBindings> load(const fs::path& file) {
    std::lock_guard lock(mutex);
    auto [it, inserted] = cache.emplace(file.string(), nullptr);
    if (inserted) {
      auto m = std::make_shared<ModuleBindings>();
      if (std::optional<std::string> text = read(file); text && text->size() <= kMaxModuleBytes)
        *m = constants::read_bindings(*text);
      it->second = std::move(m);
    }
    return it->second;
  }
};

namespace {

// A module found on disk: its file (empty for a namespace package) and, for a
// package, its directory (where submodules are).
struct ModRef {
  fs::path file;
  fs::path dir;
};

// What a name or attribute stands for.
struct Val {
  enum Kind { Fail, Str, None, Seq, Module, Class } kind = Fail;
  std::string str;
  std::vector<std::string> seq;
  ModRef mod;
  const Binding* cls = nullptr;
  std::shared_ptr<const ModuleBindings> owner;  // keeps `cls` alive
  fs::path owner_file;
};

// Where names are looked up: a module's bindings made before `before`, and inside a
// class body first its members made before `member_before`.
struct Scope {
  const std::vector<Binding>* bindings = nullptr;
  std::shared_ptr<const ModuleBindings> owner;
  fs::path file;
  uint32_t before = kEnd;
  const std::vector<Binding>* members = nullptr;
  uint32_t member_before = kEnd;
};

class Evaluator {
 public:
  using Loader = std::function<std::shared_ptr<const ModuleBindings>(const fs::path&)>;

  Evaluator(Loader loader, const fs::path& migration, std::vector<fs::path>* consulted)
      : loader_(std::move(loader)), consulted_(consulted) {
    fs::path dir = migration.parent_path();
    for (int i = 0; i < kMaxAncestors && !dir.empty(); ++i) {
      if (!is_installed_dir(dir)) search_.push_back(dir);
      if (is_project_root(dir) || dir == dir.parent_path()) break;
      dir = dir.parent_path();
    }
  }

  Val eval(const Expr& e, const Scope& s, int steps) {
    if (steps > kMaxSteps) return {};
    Val v;
    switch (e.kind) {
      case Expr::Str:
        v.kind = Val::Str;
        v.str = e.text;
        return v;
      case Expr::None:
        v.kind = Val::None;
        return v;
      case Expr::Sequence:
        v.kind = Val::Seq;
        for (const Expr& item : e.items) {
          Val i = eval(item, s, steps + 1);
          if (i.kind != Val::Str) return {};
          v.seq.push_back(std::move(i.str));
        }
        return v;
      case Expr::Name:
        v = lookup(e.text, s, steps + 1);
        for (const std::string& a : e.attrs) {
          if (v.kind == Val::Fail) break;
          v = attribute(v, a, steps + 1);
        }
        return v;
      case Expr::Other:
        break;
    }
    return {};
  }

 private:
  Val lookup(const std::string& name, const Scope& s, int steps) {
    if (steps > kMaxSteps) return {};
    if (s.members) {
      if (const Binding* m = constants::latest(*s.members, name, s.member_before)) {
        if (m->kind != Binding::Value) return {};
        Scope inner = s;
        inner.member_before = m->at;
        return eval(m->value, inner, steps + 1);
      }
    }
    const Binding* b = constants::latest(*s.bindings, name, s.before);
    if (!b) return {};
    switch (b->kind) {
      case Binding::Value: {
        Scope inner{s.bindings, s.owner, s.file, b->at};
        return eval(b->value, inner, steps + 1);
      }
      case Binding::Import: {
        std::optional<ModRef> m = module_named(b->module, 0, s.file);
        if (!m) return {};
        Val v;
        v.kind = Val::Module;
        v.mod = std::move(*m);
        return v;
      }
      case Binding::FromImport: {
        std::optional<ModRef> m = module_named(b->module, b->level, s.file);
        if (!m) return {};
        Val v;
        v.kind = Val::Module;
        v.mod = std::move(*m);
        return attribute(v, b->attr, steps + 1);
      }
      case Binding::Class: {
        Val v;
        v.kind = Val::Class;
        v.cls = b;
        v.owner = s.owner;
        v.owner_file = s.file;
        return v;
      }
      case Binding::Unknown:
        break;
    }
    return {};
  }

  Val attribute(const Val& v, const std::string& attr, int steps) {
    if (steps > kMaxSteps) return {};
    if (v.kind == Val::Class) {
      const Binding* m = constants::latest(v.cls->members, attr, kEnd);
      if (!m || m->kind != Binding::Value) return {};
      // A class of the migration itself has no owner module: its scope is the migration's.
      const std::vector<Binding>* module = v.owner ? &v.owner->bindings : own_bindings_;
      Scope s{module, v.owner, v.owner_file, v.cls->at, &v.cls->members, m->at};
      return eval(m->value, s, steps + 1);
    }
    if (v.kind != Val::Module) return {};
    if (!v.mod.file.empty()) {
      std::shared_ptr<const ModuleBindings> m = load(v.mod.file);
      if (!m->readable) return {};
      if (constants::latest(m->bindings, attr, kEnd)) {
        Scope s{&m->bindings, m, v.mod.file, kEnd};
        return lookup(attr, s, steps + 1);
      }
    }
    if (v.mod.dir.empty()) return {};
    std::optional<ModRef> sub = locate_in(v.mod.dir, {attr});
    if (!sub) return {};
    Val out;
    out.kind = Val::Module;
    out.mod = std::move(*sub);
    return out;
  }

  std::shared_ptr<const ModuleBindings> load(const fs::path& file) {
    if (consulted_ && std::find(consulted_->begin(), consulted_->end(), file) == consulted_->end())
      consulted_->push_back(file);
    return loader_(file);
  }

  // A package `base/a/b/` (with __init__.py or a namespace package), or a module
  // `base/a/b.py`, as Python's path finder picks them.
  static std::optional<ModRef> locate_in(fs::path base, const std::vector<std::string>& parts) {
    std::error_code ec;
    ModRef r;
    r.dir = base;
    if (fs::is_regular_file(base / "__init__.py", ec)) r.file = base / "__init__.py";
    for (const std::string& p : parts) {
      if (r.dir.empty() || p.empty()) return std::nullopt;
      const fs::path pkg = r.dir / platform::utf8_path(p);
      const fs::path mod = r.dir / platform::utf8_path(p + ".py");
      r = ModRef{};
      if (fs::is_directory(pkg, ec) && fs::is_regular_file(pkg / "__init__.py", ec)) {
        r.file = pkg / "__init__.py";
        r.dir = pkg;
      } else if (fs::is_regular_file(mod, ec)) {
        r.file = mod;
      } else if (fs::is_directory(pkg, ec)) {
        r.dir = pkg;
      } else {
        return std::nullopt;
      }
    }
    if (is_installed_dir(r.file.empty() ? r.dir : r.file)) return std::nullopt;
    return r;
  }

  std::optional<ModRef> module_named(const std::string& dotted, int level, const fs::path& from) {
    const std::vector<std::string> parts = split_dots(dotted);
    if (level > 0) {
      fs::path base = from.parent_path();
      for (int i = 1; i < level; ++i) base = base.parent_path();
      return locate_in(base, parts);
    }
    if (parts.empty()) return std::nullopt;
    std::error_code ec;
    for (const fs::path& dir : search_) {
      if (fs::is_directory(dir / platform::utf8_path(parts[0]), ec) ||
          fs::is_regular_file(dir / platform::utf8_path(parts[0] + ".py"), ec))
        return locate_in(dir, parts);
    }
    return std::nullopt;
  }

 public:
  const std::vector<Binding>* own_bindings_ = nullptr;

 private:
  Loader loader_;
  std::vector<fs::path>* consulted_;
  std::vector<fs::path> search_;
};

void apply(AssignedValue& v, Evaluator& ev, const Scope& base) {
  if (v.unresolved.empty()) return;
  const bool whole = !v.is_sequence && v.strings.empty() && v.unresolved.size() == 1;
  std::vector<UnresolvedValue> kept;
  bool changed = false;
  for (UnresolvedValue& u : v.unresolved) {
    const Expr e = constants::dotted_name(u.expression);
    Val r;
    if (e.kind == Expr::Name) {
      Scope s = base;
      s.before = u.range.start_byte;
      r = ev.eval(e, s, 0);
    }
    if (r.kind == Val::Str) {
      v.strings.push_back({std::move(r.str), u.range});
    } else if (whole && r.kind == Val::Seq) {
      v.is_sequence = true;
      for (std::string& s : r.seq) v.strings.push_back({std::move(s), u.range});
    } else if (whole && r.kind == Val::None) {
      v.is_none = true;
    } else {
      kept.push_back(std::move(u));
      continue;
    }
    changed = true;
  }
  v.unresolved = std::move(kept);
  if (changed)
    std::stable_sort(v.strings.begin(), v.strings.end(),
                     [](const StringValue& a, const StringValue& b) {
                       return a.range.start_byte < b.range.start_byte;
                     });
}

}  // namespace

ConstantResolver::ConstantResolver(ModuleReader read) : impl_(std::make_unique<Impl>()) {
  impl_->read = read ? std::move(read) : ModuleReader(read_module_file);
}

ConstantResolver::~ConstantResolver() = default;

void ConstantResolver::resolve(const fs::path& migration, std::string_view source,
                               ParsedMigration& parsed, std::vector<fs::path>* consulted) {
  if (!has_named_values(parsed)) return;
  const ModuleBindings own = constants::read_bindings(source);
  if (!own.readable) return;  // Python would not load it: nothing to bind
  Evaluator ev([this](const fs::path& f) { return impl_->load(f); }, migration, consulted);
  ev.own_bindings_ = &own.bindings;
  Scope base;
  base.bindings = &own.bindings;
  base.file = migration;
  for (AssignedValue* v :
       {&parsed.revision, &parsed.down_revision, &parsed.branch_labels, &parsed.depends_on})
    apply(*v, ev, base);
}

void ConstantResolver::forget(const fs::path& module) {
  std::lock_guard lock(impl_->mutex);
  impl_->cache.erase(module.string());
}

void ConstantResolver::forget_all() {
  std::lock_guard lock(impl_->mutex);
  impl_->cache.clear();
}

}  // namespace alembic
