// "Did you mean ...?" for misspelt configuration keys, shared by the host's config loader
// and plugins that validate their settings, so both phrase it the same way.
#pragma once

#include "telemetry/settings/did_you_mean.hpp"

namespace telemetry::plugin {

/// Levenshtein distance between two short strings.
using settings::editDistance;
/// closestMatch(word, candidates): the candidate closest to `word`, or "" when none is
/// close enough to be a typo.
using settings::closestMatch;
/// didYouMean(word, candidates): " (did you mean 'x'?)" or "".
using settings::didYouMean;

}  // namespace telemetry::plugin
