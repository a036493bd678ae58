#include <termios.h>
#include <unistd.h>
#include <memory>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <string>

#include "api/auth/password_hash.hpp"
#include "api/auth/user_directory.hpp"
#include "command_registry.hpp"
#include "exit_code.hpp"

namespace telemetry::cli {

struct UserOptions {
  std::string name;
  std::vector<std::string> groups;
};

namespace {

/// The terminal settings to restore if a signal ends the prompt (tcsetattr is
/// async-signal-safe), so Ctrl-C does not leave the shell without echo.
termios savedTerminal{};

void restoreTerminalAndDie(int signal) {
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

/// Turns off echo on stdin, a terminal, until it goes out of scope.
class HiddenInput {
 public:
  HiddenInput() {
    if (::tcgetattr(STDIN_FILENO, &savedTerminal) != 0) return;
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
      previous_[i] = std::signal(kSignals[i], restoreTerminalAndDie);
    }
    termios quiet = savedTerminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~HiddenInput() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal);
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
      if (previous_[i] != SIG_ERR) std::signal(kSignals[i], previous_[i]);
    }
  }
  HiddenInput(const HiddenInput&) = delete;
  HiddenInput& operator=(const HiddenInput&) = delete;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  void (*previous_[std::size(kSignals)])(int) = {SIG_ERR, SIG_ERR, SIG_ERR, SIG_ERR};
  bool active_ = false;
};

std::string readLine() {
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

std::string prompt(const std::string& text) {
  std::cerr << text << std::flush;
  std::string line;
  {
    HiddenInput hidden;
    line = readLine();
  }
  std::cerr << '\n';  // the Enter the user typed was not echoed
  return line;
}

std::string groupList(const std::vector<std::string>& groups) {
  std::string list;
  for (const auto& group : groups) list += (list.empty() ? "" : ", ") + group;
  return list;
}

}  // namespace

int runUser(const Config& config, const UserOptions& options) {
  if (auto why = api::whyInvalidUserName(options.name)) {
    std::cerr << "telemetry: user name '" << options.name << "' " << *why << '\n';
    return usageError;
  }
  api::ApiUser user{.name = options.name, .passwordHash = {}, .groups = {}};
  for (const auto& group : options.groups) {
    if (auto why = api::whyInvalidGroupName(group)) {
      std::cerr << "telemetry: group '" << group << "' " << *why << '\n';
      return usageError;
    }
    if (!user.inGroup(group)) user.groups.push_back(group);
    if (group != config.api.adminGroup && group != "usage") {
      std::cerr << "telemetry: note: group '" << group << "' grants nothing by itself; the "
                << "REST API knows '" << config.api.adminGroup << "' (api.admin-group) and "
                << "'usage'\n";
    }
  }

  std::string password;
  if (::isatty(STDIN_FILENO)) {
    password = prompt("Password for REST API user '" + user.name + "': ");
    if (!password.empty() && prompt("Repeat the password: ") != password) {
      std::cerr << "telemetry: the passwords do not match; nothing was changed\n";
      return usageError;
    }
  } else {
    password = readLine();  // the first line, as `echo pw | telemetry user add` sends it
  }
  if (password.empty()) {
    std::cerr << "telemetry: the password is empty; give it on stdin or at the prompt\n";
    return usageError;
  }
  if (password.find('\0') != std::string::npos) {
    std::cerr << "telemetry: the password holds a NUL character; nothing was changed\n";
    return usageError;
  }
  user.passwordHash = api::hashPassword(password);

  std::filesystem::path file = std::filesystem::absolute(config.api.usersFile);
  api::addOrUpdateUser(file, user);
  std::cout << "user '" << user.name << "' saved in " << file.string() << " (groups: "
            << (user.groups.empty() ? "none; it may only read" : groupList(user.groups)) << ")\n";
  return success;
}

namespace {

void setupUser(CLI::App& app, CommandRun& chosen) {
  auto options = std::make_shared<UserOptions>();
  auto* user = app.add_subcommand("user", "manage the users of the REST API (api.users-file)");
  user->require_subcommand(1);
  auto* userAdd = user->add_subcommand(
      "add", "add a REST API user or change its password and groups; password from stdin");
  userAdd->add_option("NAME", options->name, "user name (HTTP Basic)")->required();
  userAdd
      ->add_option("--group", options->groups,
                   "a group to put the user in (repeatable): api.admin-group to change "
                   "settings, usage to post usage counts; without, it may only read")
      ->allow_extra_args(false);
  userAdd->footer(
      "On a terminal the password is asked twice without echo; otherwise the first line of "
      "stdin is the password. Only a salted PBKDF2-SHA256 hash is stored, in a file of mode "
      "0600. A running daemon picks the change up on the next request.");
  runWhenChosen(*userAdd, chosen,
                [options](const Invocation& call) { return runUser(call.config, *options); });
}

[[maybe_unused]] const bool kUserRegistered = registerCommand({100, setupUser});

}  // namespace

}  // namespace telemetry::cli
