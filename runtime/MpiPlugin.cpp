// runtime/MpiPlugin.cpp — libmv_mpi.so: the only code linked against libmpi, dlopen'ed by runtime/Mpi.cpp under a launcher.
#include "runtime/MpiOps.h"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr uint64_t kChunk = uint64_t(1) << 30;  // MPI counts are ints
constexpr int kBodyTag = 32000;                 // the pieces of a message after its header

MPI_Comm noticeComm = MPI_COMM_NULL;  // failure notices only (MPI_COMM_WORLD's duplicate)
uint64_t postedValue = 0;             // what this rank's pending notices carry
std::vector<MPI_Request> posted;      // this rank's notices not yet known to be delivered

int32_t init(int32_t* rank, int32_t* size) {
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) return 1;
  if (provided < MPI_THREAD_SERIALIZED) return 2;  // calls come from whichever thread runs the query
  // Errors end the process with a message instead of returning codes nobody could act on.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
  int r = 0, s = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  *rank = r;
  *size = s;
  return MPI_Comm_dup(MPI_COMM_WORLD, &noticeComm) == MPI_SUCCESS ? 0 : 1;
}

int32_t send(int32_t dest, int32_t tag, const char* data, uint64_t len) {
  if (MPI_Send(&len, 1, MPI_UINT64_T, dest, tag, MPI_COMM_WORLD) != MPI_SUCCESS) return 1;
  for (uint64_t off = 0; off < len; off += kChunk)
    if (MPI_Send(data + off, int(std::min(kChunk, len - off)), MPI_BYTE, dest, kBodyTag, MPI_COMM_WORLD) != MPI_SUCCESS)
      return 1;
  return 0;
}

int32_t recv(int32_t source, int32_t* tag, char** data, uint64_t* len) {
  MPI_Status st;
  uint64_t n = 0;
  if (MPI_Recv(&n, 1, MPI_UINT64_T, source, MPI_ANY_TAG, MPI_COMM_WORLD, &st) != MPI_SUCCESS) return 1;
  *tag = st.MPI_TAG;
  char* buf = static_cast<char*>(std::malloc(std::max<uint64_t>(n, 1)));
  if (!buf) return 1;
  for (uint64_t off = 0; off < n; off += kChunk)
    if (MPI_Recv(buf + off, int(std::min(kChunk, n - off)), MPI_BYTE, source, kBodyTag, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE) != MPI_SUCCESS) {
      std::free(buf);
      return 1;
    }
  *data = buf;
  *len = n;
  return 0;
}

int32_t bcast(int32_t root, char** data, uint64_t* len) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  uint64_t n = rank == root ? *len : 0;
  if (MPI_Bcast(&n, 1, MPI_UINT64_T, root, MPI_COMM_WORLD) != MPI_SUCCESS) return 1;
  char* buf = rank == root ? *data : static_cast<char*>(std::malloc(std::max<uint64_t>(n, 1)));
  if (!buf) return 1;
  for (uint64_t off = 0; off < n; off += kChunk)
    if (MPI_Bcast(buf + off, int(std::min(kChunk, n - off)), MPI_BYTE, root, MPI_COMM_WORLD) != MPI_SUCCESS) return 1;
  if (rank != root) {
    *data = buf;
    *len = n;
  }
  return 0;
}

int32_t noticePost(uint64_t value) {
  if (!posted.empty()) return 1;  // one notice at a time: postedValue must stay put until delivered
  int me = 0, size = 1;
  MPI_Comm_rank(noticeComm, &me);
  MPI_Comm_size(noticeComm, &size);
  postedValue = value;
  for (int r = 0; r < size; ++r) {
    if (r == me) continue;
    posted.emplace_back();
    if (MPI_Isend(&postedValue, 1, MPI_UINT64_T, r, 0, noticeComm, &posted.back()) != MPI_SUCCESS) return 1;
  }
  return 0;
}

int32_t noticePoll(int32_t* source, uint64_t* value) {
  int flag = 0;
  MPI_Status st;
  if (MPI_Iprobe(MPI_ANY_SOURCE, 0, noticeComm, &flag, &st) != MPI_SUCCESS) return -1;
  if (!flag) return 0;
  if (MPI_Recv(value, 1, MPI_UINT64_T, st.MPI_SOURCE, 0, noticeComm, MPI_STATUS_IGNORE) != MPI_SUCCESS) return -1;
  *source = st.MPI_SOURCE;
  return 1;
}

int32_t noticeRecv(int32_t source, uint64_t* value) {
  return MPI_Recv(value, 1, MPI_UINT64_T, source, 0, noticeComm, MPI_STATUS_IGNORE) == MPI_SUCCESS ? 0 : 1;
}

int32_t noticeSettle() {
  const int rc = posted.empty() ? MPI_SUCCESS : MPI_Waitall(int(posted.size()), posted.data(), MPI_STATUSES_IGNORE);
  posted.clear();
  return rc == MPI_SUCCESS ? 0 : 1;
}

void finalize() {
  int done = 0;
  MPI_Finalized(&done);
  if (!done) MPI_Finalize();
}

void abortAll(int32_t code) { MPI_Abort(MPI_COMM_WORLD, code); }

void libraryVersion(char* buf, int32_t len) {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int n = 0;
  MPI_Get_library_version(text, &n);
  std::strncpy(buf, text, size_t(std::max(len, 1) - 1));
  buf[std::max(len, 1) - 1] = '\0';
}

const mv_rt_mpi_ops kOps = {MV_RT_MPI_ABI, init,       send,       recv,       bcast,       finalize, abortAll,
                            libraryVersion, noticePost, noticePoll, noticeRecv, noticeSettle};

}  // namespace

extern "C" __attribute__((visibility("default"))) const mv_rt_mpi_ops* mv_rt_mpi_plugin(void) { return &kOps; }
