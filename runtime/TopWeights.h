// runtime/TopWeights.h — the largest log weights of a run in O(sqrt N) memory, mergeable in any split.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mv::rt {

class WireWriter;
class WireReader;

/// The `capacity` largest log weights seen (zero weights, -inf, are never kept). Whatever
/// the split of the samples into blocks and the order of merges, the multiset of the kept
/// values is the same, so largest() is bit-identical for any thread count.
///
/// A floor lets blocks skip values cheaply: a value below the floor is known not to be among
/// the `capacity` largest of the whole run (because some partial result already holds
/// `capacity` values >= floor), so dropping it cannot change the result, whatever the
/// timing that decided the floor.
class TopWeights {
public:
  explicit TopWeights(size_t capacity = 0) : capacity_(capacity) {}

  /// Keeps `logWeight` if it is above the floor (never -inf). A value equal to the floor is
  /// not needed either: the partial result that certified the floor holds `capacity` values
  /// >= it, and merges keep them (they drop only values below the floor, and trims only
  /// values with `capacity` values >= them), so the copies of that value the top needs are
  /// already there. This keeps ties (e.g. all weights equal) cheap.
  void add(double logWeight) {
    if (logWeight > floor_ && capacity_ > 0) values_.push_back(logWeight);
  }
  /// Values below `floor` need not be kept (see the class comment).
  void setFloor(double floor) { floor_ = floor; }
  double floor() const { return floor_; }
  /// Drops all but the `capacity` largest values.
  void trim();
  /// trim() once more than 2 capacity values are held: amortised O(1) per value.
  void trimIfFull() {
    if (values_.size() > 2 * capacity_) trim();
  }
  /// Folds `other` in and trims, leaving out values below `floor` (a floor in the sense of
  /// setFloor: no lower than the capacity-th largest value of the whole run).
  void merge(const TopWeights& other, double floor = -DBL_MAX);
  /// The capacity-th largest value at the last trim() that held that many, else -inf: no
  /// value of the run below it can be among its `capacity` largest.
  double certifiedFloor() const { return certified_; }
  /// The min(m, held) largest values, largest first.
  std::vector<double> largest(size_t m) const;
  size_t capacity() const { return capacity_; }
  size_t size() const { return values_.size(); }

  /// The capacity a run of up to `samples` samples needs for the PSIS tail (tailLength + 1:
  /// the tail and the cutoff below it).
  static size_t capacityFor(uint64_t samples);

  /// Appends every field, bit for bit (runtime/Serialize.cpp); load() reads it back.
  void save(WireWriter& w) const;
  bool load(WireReader& r);

private:
  size_t capacity_;
  double floor_ = -DBL_MAX;
  double certified_ = -INFINITY;
  std::vector<double> values_;
};

}  // namespace mv::rt
