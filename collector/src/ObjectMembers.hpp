// A JSON object's members in the object's own order, without copying them: Object::get
// returns a copy of each value (a string's text, a new holder for a nested object).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <utility>
#include <vector>

namespace telemetry::collector {

/// Name and value, pointing into the object, which must outlive them.
using ObjectMember = std::pair<const std::string*, const Poco::Dynamic::Var*>;

/// In insertion order when the object preserves it (as the collector's parser makes them),
/// else in name order: the order Object::getNames and Object::stringify use.
std::vector<ObjectMember> orderedMembers(const Poco::JSON::Object& object);

}  // namespace telemetry::collector
