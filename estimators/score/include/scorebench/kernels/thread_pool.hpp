#pragma once
// Threads over a batch: parallel_for(n, threads, f) calls f(i) once for every
// i in [0, n), on at most `threads` threads (the caller is one of them).
//
// Which thread runs which i is not deterministic; callers make results
// independent of it by giving every i its own output (see kernel_driver.hpp,
// where i is a fixed chunk of samples and partial sums are combined in chunk
// order). Jobs are serialised and every worker acknowledges every job
// before the next one starts. The workers are persistent: they spin briefly after a job (a batch
// loop calls this many times in a row) and then sleep on a condition
// variable. A call made while the pool is busy (from another thread, or from
// inside f) runs serially on the caller, so nesting cannot deadlock.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "scorebench/eigen_types.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SCOREBENCH_CPU_RELAX() _mm_pause()
#else
#define SCOREBENCH_CPU_RELAX() ((void)0)
#endif

namespace scorebench {

class ThreadPool {
 public:
  // The process-wide pool (never destroyed: workers may still be asleep at exit).
  static ThreadPool& instance() {
    static ThreadPool* pool = new ThreadPool;
    return *pool;
  }

  template <typename F>
  void parallel_for(Index n, int threads, F&& f) {
    const int want = static_cast<int>(std::min<Index>(n, std::max(1, threads)));
    const auto serial = [&] {
      for (Index i = 0; i < n; ++i) f(i);
    };
    if (want <= 1) return serial();
    std::unique_lock<std::mutex> busy(run_mutex_, std::try_to_lock);
    if (!busy.owns_lock()) return serial();
    grow(want - 1);
    using Fn = std::remove_reference_t<F>;
    call_ = [](void* ctx, Index i) { (*static_cast<Fn*>(ctx))(i); };
    ctx_ = const_cast<void*>(static_cast<const void*>(&f));
    n_ = n;
    next_.store(0, std::memory_order_relaxed);
    participants_ = want - 1;
    // Every worker acknowledges every job, so none can lag a job behind.
    pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
    error_ = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    work();
    for (int k = 0; pending_.load(std::memory_order_acquire) != 0; ++k) {
      SCOREBENCH_CPU_RELAX();
      if (k > 4096) std::this_thread::yield();  // a worker was descheduled
    }
    if (error_) std::rethrow_exception(error_);
  }

 private:
  ThreadPool() = default;

  void grow(int workers) {
    while (static_cast<int>(workers_.size()) < workers) {
      const int id = static_cast<int>(workers_.size());
      // The generation is read here, before the job that needs the worker is
      // published: read by the new thread, it could already be that job's.
      const std::uint64_t seen = generation_.load(std::memory_order_acquire);
      workers_.emplace_back([this, id, seen] { loop(id, seen); });
      workers_.back().detach();
    }
  }

  // Takes indices until none are left; the first exception is kept.
  void work() {
    for (Index i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < n_;) {
      try {
        call_(ctx_, i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  void loop(int id, std::uint64_t seen) {
    for (;;) {
      // Spin up to ~200 µs for the next job, then sleep.
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
      for (int k = 0; generation_.load(std::memory_order_acquire) == seen; ++k) {
        SCOREBENCH_CPU_RELAX();
        if ((k & 63) == 0 && std::chrono::steady_clock::now() > until) {
          std::unique_lock<std::mutex> lock(mutex_);
          wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        }
      }
      seen = generation_.load(std::memory_order_acquire);
      if (id < participants_) work();
      pending_.fetch_sub(1, std::memory_order_release);
    }
  }

  std::mutex run_mutex_;  // one job at a time
  std::mutex mutex_;      // guards sleeping and error_
  std::condition_variable wake_;
  std::vector<std::thread> workers_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<Index> next_{0};
  std::atomic<int> pending_{0};
  void (*call_)(void*, Index) = nullptr;
  void* ctx_ = nullptr;
  Index n_ = 0;
  int participants_ = 0;
  std::exception_ptr error_;
};

// f(i) for i in [0, n) on up to `threads` threads.
template <typename F>
void parallel_for(Index n, int threads, F&& f) {
  ThreadPool::instance().parallel_for(n, threads, std::forward<F>(f));
}

}  // namespace scorebench
