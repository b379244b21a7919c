// runtime/Mpi.h — the process's MPI world: detection of a launcher, the plugin, rank 0's output, agreed exits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mv::rt::mpi {

/// True when the process was started by an MPI launcher, i.e. one of the variables
/// OMPI_COMM_WORLD_SIZE (Open MPI's mpirun), PMIX_RANK (PMIx: Open MPI 4+, Slurm's
/// srun --mpi=pmix), PMI_RANK or PMI_SIZE (MPICH's Hydra, srun --mpi=pmi2) is set. MV_MPI=1
/// forces MPI on (a launcher this rule misses), MV_MPI=0 forces it off.
bool launchedByLauncher();

/// When launchedByLauncher(): loads libmv_mpi.so (from $MV_MPI_PLUGIN, else from each of
/// `pluginDirs`, else by name through the executable's RUNPATH), initialises MPI and, on
/// ranks other than 0, sends stdout to /dev/null and keeps stderr for finish(), so only
/// rank 0 prints. Otherwise does nothing (no MPI library is loaded). Returns 0, or exit
/// status 2 after printing why MPI could not start (a build without MPI, a missing plugin).
int start(const std::vector<std::string>& pluginDirs);

/// This process's rank and the number of ranks (0 and 1 without MPI).
int rank();
int size();
inline bool isRoot() { return rank() == 0; }

/// While one lives, run() on this thread uses this process alone even under MPI (a query
/// given whole to this rank, see tools/mvc/Spread.h).
class SoloScope {
public:
  SoloScope();
  ~SoloScope();
  SoloScope(const SoloScope&) = delete;
  SoloScope& operator=(const SoloScope&) = delete;

private:
  bool was_;
};
/// True inside a SoloScope on this thread.
bool solo();

/// The last call of every rank: agrees on one exit status and finalises MPI. All ranks give
/// the same status: `status` itself when every rank has it; otherwise 3, with rank 0 printing
/// the message of the lowest rank that failed (it printed its own already). Without MPI
/// returns `status`.
int finish(int status);

/// One sync point of a distributed run (every rank calls both, in the same order). Rank 0
/// gets every rank's `mine` in rank order (its own first); other ranks get nothing. When a
/// rank has left the run instead (it failed before it, in finish()), every rank ends here
/// with finish()'s rule: exit status 3 and that rank's message.
std::vector<std::string> gather(const std::string& mine);
/// Rank 0's `decision` on every rank.
std::string broadcast(const std::string& decision);

/// Failure notices inside a distributed run, outside the sync points above: a rank whose block
/// failed tells every other rank at once (postNotice; at most once per run), the others pick
/// it up between blocks (pollNotice; never waits) and skip their blocks after it. At the end
/// of the run every rank calls settleNotices with the ranks that posted (rank 0 knows them
/// from gather), which receives the ones not yet picked up and completes its own, so no
/// notice outlives its run. Callers serialise these calls (MPI_THREAD_SERIALIZED).
void postNotice(uint64_t block);
/// True and the notice's sender and block when one has arrived.
bool pollNotice(int* source, uint64_t* block);
/// `posters`: the ranks that posted in this run; `picked[r]`: rank r's notice was polled here.
void settleNotices(const std::vector<int>& posters, const std::vector<bool>& picked);

/// Ends every rank at once (MPI_Abort, exit status 3) after printing `why` as an internal error
/// as an internal error: for states that cannot happen (a malformed message).
[[noreturn]] void abortAll(const std::string& why);

/// "MPI: Open MPI 4.1.4 (MPI 3.1), ..." (the headers the plugin was built with) for --version,
/// or "MPI: none (built without MPI)". Loads nothing.
std::string versionLine();

/// Where a plugin built by this build is expected, relative dirs handled by the caller: the
/// plugin's file name ("libmv_mpi.so").
const char* pluginFileName();

}  // namespace mv::rt::mpi
