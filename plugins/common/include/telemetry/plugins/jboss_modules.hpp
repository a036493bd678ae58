// Finds JBoss Modules directories in a WildFly/JBoss installation as its module loader does.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace telemetry::plugins {

class JBossModules {
 public:
  /// Module roots of `home`: the layers named in modules/layers.conf, then the base layer,
  /// then modules/ itself (where add-on modules such as camunda's live).
  explicit JBossModules(const std::filesystem::path& home);

  /// The directory of module `name` (e.g. "org.jboss.as.version") in `slot`, from the
  /// first root that has it.
  std::optional<std::filesystem::path> find(std::string_view name,
                                            std::string_view slot = "main") const;

 private:
  std::vector<std::filesystem::path> roots_;
};

}  // namespace telemetry::plugins
