// tengen plot: turns a training log (CSV) into an SVG chart a person can look at.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "app/commands.h"
#include "go/atomic_file.h"

namespace tengen::app {

namespace {

struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<double>> rows;
    int column(const std::string& name) const {
        const auto it = std::find(columns.begin(), columns.end(), name);
        if (it == columns.end()) throw std::invalid_argument("no column '" + name + "' in the CSV");
        return static_cast<int>(it - columns.begin());
    }
};

std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, separator);) fields.push_back(field);
    return fields;
}

Table readCsv(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    Table table;
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error(path + " is empty");
    table.columns = split(line, ',');
    for (int number = 2; std::getline(in, line); ++number) {
        const std::vector<std::string> fields = split(line, ',');
        if (fields.size() != table.columns.size())
            throw std::runtime_error(fmt::format("{}: line {} has {} fields, the header {}", path, number, fields.size(),
                                                 table.columns.size()));
        std::vector<double> row;
        // An empty field is a figure not measured in that row: no point is drawn for it.
        for (const std::string& f : fields) row.push_back(f.empty() ? std::nan("") : std::strtod(f.c_str(), nullptr));
        table.rows.push_back(std::move(row));
    }
    return table;
}

// One panel: the named columns against x, each a coloured line with its name.
std::string panel(const Table& t, int x, const std::vector<std::string>& series, double top, double height,
                  const std::string& title) {
    constexpr double left = 70, width = 640;
    constexpr const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    double xMin = 1e300, xMax = -1e300, yMin = 1e300, yMax = -1e300;
    for (const auto& row : t.rows) {
        xMin = std::min(xMin, row[x]);
        xMax = std::max(xMax, row[x]);
        for (const auto& name : series) {
            if (std::isnan(row[t.column(name)])) continue;
            yMin = std::min(yMin, row[t.column(name)]);
            yMax = std::max(yMax, row[t.column(name)]);
        }
    }
    if (xMax <= xMin) xMax = xMin + 1;
    if (yMax <= yMin) yMax = yMin + 1;
    auto px = [&](double v) { return left + width * (v - xMin) / (xMax - xMin); };
    auto py = [&](double v) { return top + height * (yMax - v) / (yMax - yMin); };
    std::string svg = fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"14\">{}</text>\n", left, top - 8, title);
    for (int i = 0; i <= 4; ++i) {
        const double v = yMin + (yMax - yMin) * i / 4;
        svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
                           "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:.3g}</text>\n",
                           left, left + width, py(v), left - 6, py(v) + 4, v);
    }
    for (std::size_t s = 0; s < series.size(); ++s) {
        const int c = t.column(series[s]);
        std::string points;
        for (const auto& row : t.rows)
            if (!std::isnan(row[c])) points += fmt::format("{:.1f},{:.1f} ", px(row[x]), py(row[c]));
        svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n"
                           "<text x=\"{}\" y=\"{:.0f}\" fill=\"{}\">{}</text>\n",
                           points, colours[s % std::size(colours)], left + width + 10, top + 16 + 18 * s,
                           colours[s % std::size(colours)], series[s]);
    }
    svg += fmt::format("<text x=\"{}\" y=\"{:.0f}\" text-anchor=\"middle\">{} ({:.3g} .. {:.3g})</text>\n",
                       left + width / 2, top + height + 18, t.columns[x], xMin, xMax);
    return svg;
}

void plot(const std::string& csv, const std::string& out, const std::string& x) {
    const Table t = readCsv(csv);
    if (t.rows.empty()) throw std::runtime_error(csv + " has no rows to plot");
    // Supervised logs: losses and errors in one panel, accuracies in the other, as their
    // scales differ. RL logs (train-rl): win rates and rewards, then the learning's figures.
    std::vector<std::string> losses, accuracies;
    const bool rl = std::find(t.columns.begin(), t.columns.end(), "win_rate_black") != t.columns.end();
    for (const std::string& c : t.columns) {
        if (rl) {
            if (c == "win_rate_black" || c == "win_rate_white" || c == "mean_reward") accuracies.push_back(c);
            if (c == "entropy" || c == "advantage_variance" || c == "critic_mse") losses.push_back(c);
            continue;
        }
        if (c.rfind("train_", 0) != 0 && c.rfind("heldout_", 0) != 0) continue;
        (c.find("loss") != std::string::npos || c.find("mse") != std::string::npos ? losses : accuracies).push_back(c);
    }
    if (losses.empty() && accuracies.empty())
        throw std::runtime_error(csv + " has no columns this chart knows (train_*, heldout_*, or train-rl's win rates)");
    const double panelHeight = 220;
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"{0}\" viewBox=\"0 0 860 {0}\" "
        "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        2 * panelHeight + 140);
    const int xColumn = t.column(x == "step" && rl ? "iteration" : x);
    if (!losses.empty()) svg += panel(t, xColumn, losses, 40, panelHeight, (rl ? "learning: " : "loss: ") + csv);
    if (!accuracies.empty())
        svg += panel(t, xColumn, accuracies, panelHeight + 110, panelHeight, rl ? "the learner against the pool" : "accuracy");
    writeFileAtomically(out, svg + "</svg>\n");
}

}  // namespace

void addPlotCommand(CLI::App& app) {
    struct PlotOptions {
        std::string csv, out, x = "step";
    };
    auto options = std::make_shared<PlotOptions>();
    CLI::App* command = app.add_subcommand("plot", "Chart a training log (the CSV beside a model) as SVG");
    command->add_option("csv", options->csv, "The CSV log, e.g. models/policy-19.model.csv")->required();
    command->add_option("--out", options->out, "SVG file to write (default: the CSV's name with .svg)");
    command->add_option("--x", options->x, "Column for the horizontal axis (train-rl logs: iteration)")->capture_default_str();
    command->callback([options] {
        const std::string out = options->out.empty() ? options->csv + ".svg" : options->out;
        plot(options->csv, out, options->x);
        fmt::print("wrote {}\n", out);
    });
}

}  // namespace tengen::app
