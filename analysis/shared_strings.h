// An immutable list of strings that many owners share: the branch labels a revision
// carries after propagation repeat along a whole history, so each distinct list is held
// once and every revision points at it.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace alembic {

class SharedStrings {
 public:
  using value_type = std::string;
  using size_type = size_t;
  using const_iterator = std::vector<std::string>::const_iterator;
  using iterator = const_iterator;

  SharedStrings() = default;
  explicit SharedStrings(std::vector<std::string> list)
      : list_(list.empty() ? nullptr
                           : std::make_shared<const std::vector<std::string>>(std::move(list))) {}

  const std::vector<std::string>& get() const { return list_ ? *list_ : none(); }
  operator const std::vector<std::string>&() const { return get(); }  // NOLINT: a view
  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  size_t size() const { return list_ ? list_->size() : 0; }
  bool empty() const { return size() == 0; }
  const std::string& operator[](size_t k) const { return (*list_)[k]; }
  void clear() { list_.reset(); }
  /// Whether both hold the very same shared list (or both none).
  bool same_list(const SharedStrings& other) const { return list_ == other.list_; }

  friend bool operator==(const SharedStrings& a, const SharedStrings& b) {
    return a.list_ == b.list_ || a.get() == b.get();
  }
  friend bool operator==(const SharedStrings& a, const std::vector<std::string>& b) {
    return a.get() == b;
  }

 private:
  static const std::vector<std::string>& none() {
    static const std::vector<std::string> empty;
    return empty;
  }
  std::shared_ptr<const std::vector<std::string>> list_;
};

}  // namespace alembic
