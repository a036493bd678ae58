// A library a plugin needs (DT_NEEDED) whose constructor dereferences a null pointer: it
// crashes whatever process loads the plugin, before any of the plugin's own code runs.
namespace {

__attribute__((constructor)) void crashWhenLoaded() {
  volatile int* volatile address = nullptr;
  *address = 42;
}

}  // namespace

/// Referenced by the plugin, so the linker keeps the dependency.
extern "C" __attribute__((visibility("default"))) int mockCrashingLibraryAnswer() { return 42; }
