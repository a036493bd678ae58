// A plugin library that passed every check and stays loaded while anything it created is
// alive: every probe holds a reference to it. In process isolation the host never loads
// it: a telemetry-probe child described it, and only children run it.
#pragma once

#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>

#include "plugins/plugin_info.hpp"
#include "telemetry/plugin/descriptor.hpp"

namespace telemetry {

class LoadedPlugin : public std::enable_shared_from_this<LoadedPlugin> {
 public:
  LoadedPlugin(boost::dll::shared_library library, const plugin::Descriptor& descriptor,
               PluginInfo info)
      : library_(std::move(library)), descriptor_(&descriptor), info_(std::move(info)) {}
  /// A plugin described by a telemetry-probe child and not loaded in this process.
  explicit LoadedPlugin(PluginInfo info) : info_(std::move(info)) {}

  /// Whether its code is in this process; descriptor() and createProbe() need it.
  bool loadedHere() const { return descriptor_ != nullptr; }
  const plugin::Descriptor& descriptor() const { return *descriptor_; }
  const PluginInfo& info() const { return info_; }

  /// A new probe; on failure nullptr and `error` says why. The probe keeps this plugin
  /// (and so its code) loaded until the probe is destroyed.
  std::shared_ptr<plugin::Probe> createProbe(std::string& error) const {
    if (!loadedHere()) {
      error = "plugin '" + info_.name + "' is not loaded in this process (process isolation)";
      return nullptr;
    }
    plugin::Probe* raw = descriptor_->create(error);
    if (raw == nullptr) {
      if (error.empty()) error = "the plugin's factory returned no probe";
      return nullptr;
    }
    auto self = shared_from_this();
    return std::shared_ptr<plugin::Probe>(
        raw, [self](plugin::Probe* probe) { self->descriptor_->destroy(probe); });
  }

 private:
  boost::dll::shared_library library_;
  const plugin::Descriptor* descriptor_ = nullptr;
  PluginInfo info_;
};

}  // namespace telemetry
