// runtime/Mpi.cpp — MPI detection, the dlopen'ed plugin, rank 0-only output and the sync/exit protocol.
#include "runtime/Mpi.h"

#include "runtime/MpiOps.h"

#ifdef MV_HAVE_MPI
#include <mpi.h>  // version macros only: nothing here links libmpi (the plugin does)
#endif

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>

namespace mv::rt::mpi {

namespace {

// Tags of the messages ranks send rank 0 at a sync point.
constexpr int kTagRound = 1;  // a part of a run (gather)
constexpr int kTagExit = 2;   // the rank is in finish(): its status and its stderr
// The first byte of every broadcast: rank 0's data, or the exit status every rank must end with.
constexpr char kGo = 'g', kEnd = 'e';

const mv_rt_mpi_ops* ops = nullptr;
int myRank = 0, mySize = 1;
int keptStderr = -1;  // ranks > 0: the file their stderr goes to

std::string envOr(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

const mv_rt_mpi_ops* loadPlugin(const std::vector<std::string>& dirs, std::string* why) {
#ifdef MV_HAVE_MPI
  std::vector<std::string> candidates;
  if (std::string p = envOr("MV_MPI_PLUGIN"); !p.empty()) candidates.push_back(p);
  for (const std::string& d : dirs) candidates.push_back(d + "/" + pluginFileName());
  candidates.push_back(pluginFileName());  // the executable's RUNPATH (`mvc build` sets it)
  std::string errors;
  for (const std::string& c : candidates) {
    // RTLD_GLOBAL: Open MPI's components (dlopen'ed by libmpi) resolve symbols of libmpi.
    void* h = dlopen(c.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!h) {
      errors += std::string("\n  ") + dlerror();
      continue;
    }
    auto entry = reinterpret_cast<const mv_rt_mpi_ops* (*)()>(dlsym(h, "mv_rt_mpi_plugin"));
    const mv_rt_mpi_ops* o = entry ? entry() : nullptr;
    if (o && o->abi == MV_RT_MPI_ABI) return o;
    errors += "\n  " + c + ": not a MultiVerse MPI plugin of this version";
  }
  *why = "cannot load the MPI plugin " + std::string(pluginFileName()) + ":" + errors;
  return nullptr;
#else
  (void)dirs;
  *why = "this build has no MPI support (configured with -DMV_MPI=OFF or without an MPI library)";
  return nullptr;
#endif
}

std::string take(char* data, uint64_t len) {
  std::string s(data, len);
  std::free(data);
  return s;
}

void sendOrDie(int dest, int tag, const std::string& s) {
  if (ops->send(dest, tag, s.data(), s.size()) != 0) ops->abort(3);
}

std::string recvOrDie(int source, int* tag) {
  char* data = nullptr;
  uint64_t len = 0;
  if (ops->recv(source, tag, &data, &len) != 0) ops->abort(3);
  return take(data, len);
}

std::string bcastOrDie(std::string s) {
  char* data = s.data();
  uint64_t len = s.size();
  if (ops->bcast(0, &data, &len) != 0) ops->abort(3);
  return myRank == 0 ? s : take(data, len);
}

std::string keptStderrText() {
  std::string out;
  if (keptStderr < 0) return out;
  std::fflush(stderr);
  std::cerr.flush();
  char buf[4096];
  for (off_t off = 0;;) {
    const ssize_t n = pread(keptStderr, buf, sizeof buf, off);
    if (n <= 0) break;
    out.append(buf, size_t(n));
    off += n;
  }
  return out;
}

std::string statusMessage(int status, const std::string& text) { return std::to_string(status) + "\n" + text; }

int parseStatus(const std::string& msg, std::string* text) {
  const size_t nl = msg.find('\n');
  *text = nl == std::string::npos ? "" : msg.substr(nl + 1);
  return std::atoi(msg.c_str());
}

[[noreturn]] void endNow(int status) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  ops->finalize();
  std::_Exit(status);
}

/// Rank 0: the exit status the world ends with, from every rank's message at a sync point
/// (`kinds[r]` its tag, `texts[r]` its status message when it is in finish()). Prints the
/// message of the lowest failed rank when rank 0 did not fail itself.
int agreedStatus(int rootStatus, const std::vector<int>& kinds, const std::vector<std::string>& msgs) {
  bool same = true, anyRunning = false;
  int firstFailed = -1;
  std::string firstText;
  for (int r = 1; r < mySize; ++r) {
    if (kinds[size_t(r)] != kTagExit) {
      anyRunning = true;
      same = false;
      continue;
    }
    std::string text;
    const int s = parseStatus(msgs[size_t(r)], &text);
    if (s != rootStatus) same = false;
    if (s != 0 && firstFailed < 0) firstFailed = r, firstText = text;
  }
  if (same) return rootStatus;
  if (rootStatus == 0 && firstFailed >= 0) {
    std::cerr << firstText;
    if (firstText.empty()) std::cerr << "error: rank " << firstFailed << " failed\n";
  } else if (rootStatus == 0 && anyRunning) {
    std::cerr << "internal error: the ranks of this MPI run did not run the same steps\n";
  }
  return 3;
}

}  // namespace

const char* pluginFileName() { return "libmv_mpi.so"; }

bool launchedByLauncher() {
  const std::string force = envOr("MV_MPI");
  if (force == "0") return false;
  if (force == "1") return true;
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

int start(const std::vector<std::string>& pluginDirs) {
  if (ops || !launchedByLauncher()) return 0;
  std::string why;
  const mv_rt_mpi_ops* o = loadPlugin(pluginDirs, &why);
  if (!o) {
    // Every rank would print this; the launcher's environment tells the ranks apart.
    const std::string r = envOr("OMPI_COMM_WORLD_RANK").empty() ? envOr("PMIX_RANK") : envOr("OMPI_COMM_WORLD_RANK");
    if (r.empty() || r == "0") std::cerr << "error: launched by an MPI launcher, but " << why << "\n";
    return 2;
  }
  int32_t rank = 0, size = 1;
  if (o->init(&rank, &size) != 0) {
    std::cerr << "error: MPI initialisation failed (MPI_THREAD_SERIALIZED is needed)\n";
    return 2;
  }
  ops = o;
  myRank = rank;
  mySize = size;
  if (myRank != 0) {
    std::fflush(nullptr);
    if (int devNull = open("/dev/null", O_WRONLY); devNull >= 0) dup2(devNull, 1), close(devNull);
    char path[] = "/tmp/mv-mpi-stderr-XXXXXX";
    keptStderr = mkstemp(path);
    if (keptStderr >= 0) {
      unlink(path);
      dup2(keptStderr, 2);
    }
  }
  return 0;
}

namespace {
thread_local bool soloHere = false;
}  // namespace

SoloScope::SoloScope() : was_(soloHere) { soloHere = true; }
SoloScope::~SoloScope() { soloHere = was_; }
bool solo() { return soloHere; }

int rank() { return myRank; }
int size() { return mySize; }

int finish(int status) {
  if (!ops) return status;
  if (mySize == 1) endNow(status);
  int code = status;
  if (myRank != 0) {
    sendOrDie(0, kTagExit, statusMessage(status, keptStderrText()));
    const std::string d = bcastOrDie("");
    code = std::atoi(d.c_str() + 1);
  } else {
    std::vector<int> kinds(size_t(mySize), kTagExit);
    std::vector<std::string> msgs(static_cast<size_t>(mySize));
    for (int r = 1; r < mySize; ++r) msgs[size_t(r)] = recvOrDie(r, &kinds[size_t(r)]);
    code = agreedStatus(status, kinds, msgs);
    bcastOrDie(std::string(1, kEnd) + std::to_string(code));
  }
  endNow(code);
}

std::vector<std::string> gather(const std::string& mine) {
  if (myRank != 0) {
    sendOrDie(0, kTagRound, mine);
    return {};
  }
  std::vector<std::string> parts(static_cast<size_t>(mySize));
  std::vector<int> kinds(size_t(mySize), kTagRound);
  parts[0] = mine;
  bool anyExit = false;
  for (int r = 1; r < mySize; ++r) {
    parts[size_t(r)] = recvOrDie(r, &kinds[size_t(r)]);
    anyExit = anyExit || kinds[size_t(r)] == kTagExit;
  }
  if (anyExit) {  // a rank left before this run: everyone ends with its failure
    const int code = agreedStatus(0, kinds, parts);
    bcastOrDie(std::string(1, kEnd) + std::to_string(code));
    endNow(code);
  }
  return parts;
}

std::string broadcast(const std::string& decision) {
  const std::string d = bcastOrDie(myRank == 0 ? kGo + decision : std::string());
  if (!d.empty() && d[0] == kEnd) endNow(std::atoi(d.c_str() + 1));
  return d.substr(1);
}

void postNotice(uint64_t block) {
  if (ops->notice_post(block) != 0) ops->abort(3);
}

bool pollNotice(int* source, uint64_t* block) {
  int32_t from = -1;
  const int32_t got = ops->notice_poll(&from, block);
  if (got < 0) ops->abort(3);
  *source = from;
  return got == 1;
}

void settleNotices(const std::vector<int>& posters, const std::vector<bool>& picked) {
  for (int r : posters) {
    if (r == myRank || picked[size_t(r)]) continue;
    uint64_t block = 0;
    if (ops->notice_recv(r, &block) != 0) ops->abort(3);
  }
  if (ops->notice_settle() != 0) ops->abort(3);
}

void abortAll(const std::string& why) {
  std::cerr << "internal error: " << why << "\n";
  std::cerr.flush();
  if (ops) ops->abort(3);
  std::_Exit(3);
}

std::string versionLine() {
#ifdef MV_HAVE_MPI
  std::string lib;
#if defined(OMPI_MAJOR_VERSION)
  lib = "Open MPI " + std::to_string(OMPI_MAJOR_VERSION) + "." + std::to_string(OMPI_MINOR_VERSION) + "." +
        std::to_string(OMPI_RELEASE_VERSION);
#elif defined(MPICH_VERSION)
  lib = std::string("MPICH ") + MPICH_VERSION;
#else
  lib = "an MPI library";
#endif
  return "MPI: " + lib + " (MPI " + std::to_string(MPI_VERSION) + "." + std::to_string(MPI_SUBVERSION) +
         "), loaded only under an MPI launcher";
#else
  return "MPI: none (built without MPI)";
#endif
}

}  // namespace mv::rt::mpi
