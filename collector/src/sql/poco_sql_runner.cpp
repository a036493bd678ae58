#include "sql/poco_sql_runner.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <stdexcept>
#include <type_traits>

#include "sql/postgres_row_arrays.hpp"

namespace telemetry::collector {
namespace {

// By reference, not copied: `params` outlives the statement's execution, and a drain batch
// binds tens of thousands of values (copying them was a large part of its writer's CPU).
void bindAll(Poco::Data::Statement& statement, const std::vector<SqlValue>& params) {
  using Poco::Data::Keywords::useRef;
  static_assert(std::is_same_v<std::int64_t, Poco::Int64>);
  for (const auto& param : params) {
    if (const auto* number = std::get_if<std::int64_t>(&param)) {
      statement, useRef(*number);
    } else if (const auto* str = std::get_if<std::string>(&param)) {
      statement, useRef(*str);
    } else {
      throw std::invalid_argument("the summaries bind no NULL");
    }
  }
}

}  // namespace

std::vector<SqlRow> PocoSqlRunner::query(std::string_view sql,
                                         const std::vector<SqlValue>& params) {
  Poco::Data::Statement select(session_);
  select << dialect_.sql(sql);
  bindAll(select, params);
  select.execute();
  Poco::Data::RecordSet rows(select);
  std::vector<SqlRow> out;
  const std::size_t columns = rows.columnCount();
  for (std::size_t r = 0; r < rows.rowCount(); ++r) {
    SqlRow row;
    for (std::size_t c = 0; c < columns; ++c) {
      if (rows.isNull(c, r)) {
        row.emplace_back(std::monostate{});
        continue;
      }
      const auto value = rows.value(c, r);
      // PostgreSQL's TEXT arrives as a CLOB.
      switch (rows.columnType(c)) {
        case Poco::Data::MetaColumn::FDT_STRING:
        case Poco::Data::MetaColumn::FDT_WSTRING:
        case Poco::Data::MetaColumn::FDT_CLOB:
        case Poco::Data::MetaColumn::FDT_BLOB:
          row.emplace_back(value.convert<std::string>());
          break;
        default:
          row.emplace_back(static_cast<std::int64_t>(value.convert<Poco::Int64>()));
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

void PocoSqlRunner::execute(std::string_view sql, const std::vector<SqlValue>& params) {
  Poco::Data::Statement statement(session_);
  statement << dialect_.sql(sql);
  bindAll(statement, params);
  statement.execute();
}

std::vector<SqlRow> PocoSqlRunner::queryEach(std::string_view sql,
                                             const std::vector<SqlValue>& params,
                                             const std::vector<SqlRow>& rows) {
  if (dialect_.isPostgres()) {
    if (auto bound = PostgresRowArrays::bind(sql, params, rows))
      return query(bound->sql, bound->params);
  }
  return SqlRunner::queryEach(sql, params, rows);
}

void PocoSqlRunner::executeEach(std::string_view sql, const std::vector<SqlValue>& params,
                                const std::vector<SqlRow>& rows) {
  if (dialect_.isPostgres()) {
    if (auto bound = PostgresRowArrays::bind(sql, params, rows)) {
      execute(bound->sql, bound->params);
      return;
    }
  }
  SqlRunner::executeEach(sql, params, rows);
}

}  // namespace telemetry::collector
