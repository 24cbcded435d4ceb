#include "selfplay/slurm_driver.h"

#include <cctype>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <boost/process/search_path.hpp>
#include <fmt/format.h>

#include "go/atomic_file.h"
#include "selfplay/generation.h"

namespace tengen::selfplay {

namespace {

std::string joined(const std::vector<int>& items) {
    std::string out;
    for (int i : items) out += (out.empty() ? "" : ",") + std::to_string(i);
    return out;
}

std::string trim(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
}

}  // namespace

CommandResult runCommand(const std::string& program, const std::vector<std::string>& args) {
    namespace bp = boost::process;
    const boost::filesystem::path path = bp::search_path(program);
    if (path.empty()) throw std::runtime_error(fmt::format("{} is not on PATH: is this a Slurm login node?", program));
    bp::ipstream out, err;
    bp::child child(path, bp::args(args), bp::std_out > out, bp::std_err > err, bp::std_in < bp::null);
    CommandResult result;
    std::stringstream outText, errText;
    // Both pipes drain at once: a full one would otherwise block the program.
    std::thread errors([&] { errText << err.rdbuf(); });
    outText << out.rdbuf();
    errors.join();
    child.wait();
    result.exitCode = child.exit_code();
    result.out = outText.str();
    result.err = errText.str();
    return result;
}

std::vector<SubmittedJob> submitToSlurm(const RunDirectory& run, int targetModel, const JobCommands& commands,
                                        const CommandRunner& runner) {
    const std::string workerName = jobName(run, "selfplay"), trainName = jobName(run, "train");
    const CommandResult queued =
        runner("squeue", {"--me", "--noheader", "--format=%i %j %T", fmt::format("--name={},{}", workerName, trainName)});
    if (queued.exitCode != 0) throw std::runtime_error("squeue failed: " + trim(queued.err));
    if (!trim(queued.out).empty())
        throw std::runtime_error(fmt::format("jobs of this run are still in the queue; wait for them or scancel them, "
                                             "then run again:\n{}",
                                             trim(queued.out)));

    std::filesystem::create_directories(run.slurmDirectory());
    const std::filesystem::path workerScript = run.slurmDirectory() / "selfplay.sbatch",
                                trainScript = run.slurmDirectory() / "train.sbatch";
    writeFileAtomically(workerScript, slurmWorkerScript(run, commands));
    writeFileAtomically(trainScript, slurmTrainScript(run, commands));
    const bool evaluating = run.settings().evaluation.games > 0;
    const std::filesystem::path evaluateScript = run.slurmDirectory() / "evaluate.sbatch";
    if (evaluating) writeFileAtomically(evaluateScript, slurmEvaluateScript(run, commands));

    std::vector<SubmittedJob> submitted;
    const auto submit = [&](std::vector<std::string> args, const std::string& what) {
        args.insert(args.begin(), "--parsable");
        const CommandResult r = runner("sbatch", args);
        const std::string id = trim(r.out).substr(0, trim(r.out).find(';'));
        if (r.exitCode != 0 || id.empty()) {
            std::string before;
            for (const SubmittedJob& job : submitted) before += fmt::format(" {} ({})", job.id, job.what);
            throw std::runtime_error(fmt::format("sbatch failed for {}: {}; submitted before it:{}", what, trim(r.err),
                                                 before.empty() ? " none" : before));
        }
        submitted.push_back({id, what});
        return id;
    };
    const int current = run.currentModel();
    const int trained = trainerProgress(run).first;
    std::string previous;  // the job the next one waits for
    const auto after = [](const std::string& job) {
        return std::vector<std::string>{"--dependency=afterok:" + job, "--kill-on-invalid-dep=yes"};
    };
    for (int n = current; n < targetModel; ++n) {
        std::vector<int> workers;
        if (n == current && trained <= n) workers = run.unfinishedWorkers(n);
        if (n > current) {
            for (int w = 0; w < run.settings().workers; ++w) workers.push_back(w);
        }
        std::string waitFor = previous;
        if (!workers.empty()) {
            std::vector<std::string> args = previous.empty() ? std::vector<std::string>{} : after(previous);
            args.push_back("--array=" + joined(workers));
            args.push_back(workerScript.string());
            waitFor = submit(args, fmt::format("generation {}: workers {}", n, joined(workers)));
        }
        std::vector<std::string> args = waitFor.empty() ? std::vector<std::string>{} : after(waitFor);
        args.push_back(trainScript.string());
        previous = submit(args, fmt::format("generation {}: training into model {}", n, n + 1));
        // Off the chain: the next generation's workers do not wait for it.
        if (evaluating) {
            std::vector<std::string> evaluate = after(previous);
            evaluate.push_back(evaluateScript.string());
            submit(evaluate, fmt::format("model {}: evaluation", n + 1));
        }
    }
    return submitted;
}

}  // namespace tengen::selfplay
