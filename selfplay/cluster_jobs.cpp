#include "selfplay/cluster_jobs.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace tengen::selfplay {

namespace {

// A Kubernetes name: lower case letters, digits and '-'.
std::string dnsLabel(std::string text) {
    for (char& c : text) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
    if (text.size() > 40) text.resize(40);
    text.erase(0, text.find_first_not_of('-'));
    while (!text.empty() && text.back() == '-') text.pop_back();
    return text.empty() ? "run" : text;
}

std::string runName(const RunDirectory& run) {
    const std::filesystem::path absolute = std::filesystem::absolute(run.root()).lexically_normal();
    const std::string name = (absolute.has_filename() ? absolute : absolute.parent_path()).filename().string();
    return dnsLabel(name);
}

std::string sbatchHeader(const RunDirectory& run, const std::string& role) {
    const SlurmSettings& s = run.settings().slurm;
    const std::filesystem::path logs = std::filesystem::absolute(run.slurmDirectory());
    std::string header = "#!/bin/bash\n";
    header += fmt::format("# Written by `tengen run slurm` from {}; submitted by it, or by hand.\n",
                          (std::filesystem::absolute(run.root()) / "run.toml").string());
    header += fmt::format("#SBATCH --job-name={}\n", jobName(run, role));
    // Array tasks by array and index; the training job by its id.
    header += fmt::format("#SBATCH --output={}/{}-{}.out\n", logs.string(), role, role == "selfplay" ? "%A_%a" : "%j");
    header += fmt::format("#SBATCH --cpus-per-task={}\n#SBATCH --ntasks=1\n", s.cpusPerTask);
    header += fmt::format("#SBATCH --time={}\n", s.time);
    if (!s.partition.empty()) header += fmt::format("#SBATCH --partition={}\n", s.partition);
    if (!s.account.empty()) header += fmt::format("#SBATCH --account={}\n", s.account);
    if (!s.memory.empty()) header += fmt::format("#SBATCH --mem={}\n", s.memory);
    // A pre-empted worker goes on with its own shard series when requeued.
    header += "#SBATCH --requeue\n";
    for (const std::string& line : s.extra) header += fmt::format("#SBATCH {}\n", line);
    return header + "set -euo pipefail\n";
}

std::string quotedArgs(const std::string& command) {
    // The command line as a YAML flow sequence of its words (split on spaces).
    std::string out = "[";
    std::size_t start = 0;
    bool first = true;
    while (start < command.size()) {
        const std::size_t end = std::min(command.find(' ', start), command.size());
        if (end > start) {
            std::string word;
            for (char c : command.substr(start, end - start)) {
                if (c == '"' || c == '\\') word += '\\';
                word += c;
            }
            out += fmt::format("{}\"{}\"", first ? "" : ", ", word);
            first = false;
        }
        start = end + 1;
    }
    return out + "]";
}

std::string podSpec(const RunDirectory& run, const std::string& container, const std::string& command) {
    const KubernetesSettings& k = run.settings().kubernetes;
    return fmt::format(R"(    spec:
      restartPolicy: Never
      containers:
        - name: {0}
          image: {1}
          command: {2}
          resources:
            requests: {{cpu: "{3}", memory: "{4}"}}
            limits: {{cpu: "{3}", memory: "{4}"}}
          volumeMounts:
            - name: run
              mountPath: {5}
      volumes:
        - name: run
          persistentVolumeClaim:
            claimName: {6}
)",
                       container, k.image, quotedArgs(command), k.cpu, k.memory, k.mountPath, k.claim);
}

std::string metadata(const RunDirectory& run, const std::string& name) {
    const KubernetesSettings& k = run.settings().kubernetes;
    std::string m = fmt::format("metadata:\n  name: {}\n", name);
    if (!k.nameSpace.empty()) m += fmt::format("  namespace: {}\n", k.nameSpace);
    return m + fmt::format("  labels: {{app: tengen, run: {}}}\n", runName(run));
}

// A Job of one pod, retried up to three times, under a comment that says when to apply it.
std::string singlePodJob(const RunDirectory& run, const std::string& comment, const std::string& name,
                         const std::string& container, const std::string& command) {
    return fmt::format(R"({0}
apiVersion: batch/v1
kind: Job
{1}spec:
  backoffLimit: 3
  template:
{2})",
                       comment, metadata(run, name), podSpec(run, container, command));
}

}  // namespace

std::string jobName(const RunDirectory& run, const std::string& role) {
    return fmt::format("tengen-{}-{}", runName(run), role);
}

std::string slurmWorkerScript(const RunDirectory& run, const JobCommands& commands) {
    return sbatchHeader(run, "selfplay") +
           "# One array task per worker: its index is SLURM_ARRAY_TASK_ID, which the worker reads.\n" + "exec " +
           commands.worker + "\n";
}

std::string slurmTrainScript(const RunDirectory& run, const JobCommands& commands) {
    return sbatchHeader(run, "train") + "exec " + commands.train + "\n";
}

std::string slurmEvaluateScript(const RunDirectory& run, const JobCommands& commands) {
    return sbatchHeader(run, "evaluate") + "# Evaluates every promoted model that has no result yet.\nexec " +
           commands.evaluate + "\n";
}

std::string kubernetesWorkerJob(const RunDirectory& run, int n, const JobCommands& commands) {
    const RunSettings& s = run.settings();
    return fmt::format(R"(# Generation {0}'s self-play workers, written by `tengen run k8s`; each pod's index
# (JOB_COMPLETION_INDEX) is its worker index.
apiVersion: batch/v1
kind: Job
{1}spec:
  completionMode: Indexed
  completions: {2}
  parallelism: {2}
  backoffLimit: {3}
  template:
{4})",
                       generationName(n), metadata(run, fmt::format("{}-{}", jobName(run, "selfplay"), generationName(n))),
                       s.workers, 3 * s.workers, podSpec(run, "worker", commands.worker));
}

std::string kubernetesTrainJob(const RunDirectory& run, int n, const JobCommands& commands) {
    return singlePodJob(run,
                        fmt::format("# Generation {}'s training, written by `tengen run k8s`: apply it once the workers' "
                                    "Job\n# is complete. It writes model {} and makes it current.",
                                    generationName(n), generationName(n + 1)),
                        fmt::format("{}-{}", jobName(run, "train"), generationName(n)), "train", commands.train);
}

std::string kubernetesEvaluateJob(const RunDirectory& run, int n, const JobCommands& commands) {
    return singlePodJob(run,
                        fmt::format("# Model {}'s evaluation, written by `tengen run k8s`: apply it once generation "
                                    "{}'s\n# training Job is complete. It adds the model's row to train/evaluation.csv.",
                                    generationName(n + 1), generationName(n)),
                        fmt::format("{}-{}", jobName(run, "evaluate"), generationName(n + 1)), "evaluate",
                        commands.evaluate);
}

}  // namespace tengen::selfplay
