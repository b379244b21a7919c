/* runtime/MpiOps.h — the C table between the runtime and its MPI plugin (libmv_mpi.so), loaded only under MPI. */
#ifndef MV_RUNTIME_MPI_OPS_H
#define MV_RUNTIME_MPI_OPS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bumped whenever the table changes: a plugin of another build is refused. */
#define MV_RT_MPI_ABI 2

/** What the plugin does for the runtime, on MPI_COMM_WORLD. Messages of any length (split
 *  into pieces below 2^31 bytes); every call returns 0 on success. Buffers handed out are
 *  malloc'd and the caller frees them. Called by one thread at a time (MPI_THREAD_SERIALIZED). */
typedef struct mv_rt_mpi_ops {
  int32_t abi;
  int32_t (*init)(int32_t* rank, int32_t* size);
  int32_t (*send)(int32_t dest, int32_t tag, const char* data, uint64_t len);
  /** Receives the next message from `source` (any tag); sets *tag. */
  int32_t (*recv)(int32_t source, int32_t* tag, char** data, uint64_t* len);
  /** From rank `root` to every rank: root passes *data, *len; the others receive them. */
  int32_t (*bcast)(int32_t root, char** data, uint64_t* len);
  void (*finalize)(void);
  void (*abort)(int32_t code);
  /** The MPI library's version text (MPI_Get_library_version, callable before init). */
  void (*library_version)(char* buf, int32_t len);
  /** Failure notices, on a communicator of their own so they never meet send/recv above.
   *  notice_post: `value` to every other rank without waiting (at most once until
   *  notice_settle). notice_poll: one notice that has arrived, if any (returns 1 and sets
   *  *source, *value; 0 when none; negative on error). notice_recv: waits for the notice of
   *  `source`. notice_settle: waits until this rank's posted notices are delivered. */
  int32_t (*notice_post)(uint64_t value);
  int32_t (*notice_poll)(int32_t* source, uint64_t* value);
  int32_t (*notice_recv)(int32_t source, uint64_t* value);
  int32_t (*notice_settle)(void);
} mv_rt_mpi_ops;

/** The plugin's one exported symbol. */
const mv_rt_mpi_ops* mv_rt_mpi_plugin(void);

#ifdef __cplusplus
}
#endif

#endif /* MV_RUNTIME_MPI_OPS_H */
