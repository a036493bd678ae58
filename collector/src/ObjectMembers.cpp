#include "ObjectMembers.hpp"

#include <algorithm>

namespace telemetry::collector {

std::vector<ObjectMember> orderedMembers(const Poco::JSON::Object& object) {
  // The object's values sit in a std::map (name order); only getNames knows insertion order.
  std::vector<const Poco::JSON::Object::ValueType*> sorted;
  sorted.reserve(object.size());
  for (const auto& member : object) sorted.push_back(&member);
  std::vector<ObjectMember> members;
  members.reserve(sorted.size());
  for (const auto& name : object.getNames()) {
    const auto* member = *std::lower_bound(sorted.begin(), sorted.end(), name,
                                           [](const Poco::JSON::Object::ValueType* m,
                                              const std::string& key) { return m->first < key; });
    members.emplace_back(&member->first, &member->second);
  }
  return members;
}

}  // namespace telemetry::collector
