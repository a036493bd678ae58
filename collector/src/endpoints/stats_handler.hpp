// GET /api/stats and /api/stats.csv: the dashboard's figures as JSON or CSV.
#pragma once

#include <memory>
#include <optional>

#include "dashboard/stats_cache.hpp"
#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"
#include "store/report_store.hpp"

namespace telemetry::collector {

/// Serves the figures of StatsCache (on the worker pool) for the filter of the query string
/// (StatsQuery): at most one query runs at a time. One resource in two representations, so
/// both always take the same parameters and give the same answers.
class StatsHandler : public HttpHandler {
 public:
  enum class Format { json, csv };

  explicit StatsHandler(CollectorContext& context, Format format = Format::json)
      : context_(context), format_(format) {}
  HttpLane lane() const override { return HttpLane::queries; }
  void handle(HttpRequest& request, HttpResponder respond) override;
  /// The figures for `filter` (GET / asks here too), or null with the answer to give instead
  /// in `refusal`: 503 while another request's query runs and no recent figures are at hand,
  /// or when the dashboard's store (store-read) can't be read (logged).
  static std::shared_ptr<const CollectorStats> figures(StatsCache& cache, const StatsFilter& filter,
                                                       std::optional<HttpResponse>& refusal);

 private:
  static HttpResponse busy();
  static HttpResponse unreachable(const StoreUnreachable& e);

  CollectorContext& context_;
  Format format_;
};

}  // namespace telemetry::collector
