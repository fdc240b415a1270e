"""Read `PyDataset` batches ahead of the training loop in worker threads.

`BatchPrefetcher` runs `fetch(i)` (a dataset's `__getitem__`) for a sequence
of indices in a pool of `workers` threads, fed by one background thread, and
hands the results back IN ORDER. At most `max_queue_size` batches are
requested ahead of the consumer. The consumer waits with short timeouts, so
the main thread stays responsive (Ctrl-C works), and an exception raised in
a worker is re-raised in the consumer with the worker's traceback.

`use_multiprocessing=True` also runs on threads here: numpy releases the GIL
in its heavy loops, and threads need no pickling of the dataset.
"""
import queue
import threading
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout, wait

_POLL_S = 0.1
_END = object()


class _FeederFailure:
    """An exception raised while producing indices, passed to the consumer."""

    def __init__(self, exc):
        self.exc = exc


class BatchPrefetcher:
    """Ordered, bounded read-ahead of `fetch(i)` for `i` in `indices`.

    Args:
        fetch: callable returning the batch for an index.
        indices: iterable of indices (may be infinite, e.g. `itertools.count()`).
        workers: number of worker threads.
        max_queue_size: most batches requested but not yet consumed.

    Iterate it to get the batches. `pause()` waits until no worker is running
    (so the dataset may change itself, e.g. reshuffle in `on_epoch_end`);
    `resume()` continues; `close()` stops everything.
    """

    def __init__(self, fetch, indices, workers=1, max_queue_size=10):
        self._fetch = fetch
        self._indices = iter(indices)
        self.workers = max(1, int(workers))
        self.max_queue_size = max(1, int(max_queue_size))
        self._pool = ThreadPoolExecutor(max_workers=self.workers,
                                        thread_name_prefix="minikeras_pydataset_worker")
        self._results = queue.Queue()
        self._slots = threading.Semaphore(self.max_queue_size)
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._running.set()
        self._stopped = threading.Event()
        self._outstanding = set()
        self._closed = False
        self._feeder = threading.Thread(target=self._feed, daemon=True,
                                        name="minikeras_pydataset_feeder")
        self._feeder.start()

    # ----- background thread -------------------------------------------------------
    def _feed(self):
        while not self._stopped.is_set():
            if not self._slots.acquire(timeout=_POLL_S):
                continue
            submitted = False
            with self._lock:
                if self._running.is_set() and not self._stopped.is_set():
                    try:
                        index = next(self._indices)
                    except StopIteration:
                        self._results.put(_END)
                        return
                    except BaseException as e:  # a user-supplied index sequence failed
                        self._results.put(_FeederFailure(e))
                        return
                    future = self._pool.submit(self._fetch, index)
                    self._outstanding.add(future)
                    future.add_done_callback(self._outstanding.discard)
                    self._results.put(future)
                    submitted = True
            if not submitted:
                self._slots.release()
                self._running.wait(_POLL_S)

    # ----- consumer side -----------------------------------------------------------
    def __iter__(self):
        return self

    def __next__(self):
        if self._closed:
            raise StopIteration
        if not self._running.is_set():
            self.resume()
        while True:
            try:
                item = self._results.get(timeout=_POLL_S)
                break
            except queue.Empty:
                if not self._feeder.is_alive() and self._results.empty():
                    self.close()
                    raise StopIteration from None
        if item is _END:
            self.close()
            raise StopIteration
        if isinstance(item, _FeederFailure):
            self.close()
            raise item.exc
        self._slots.release()
        try:
            # `result()` re-raises a worker's exception with its traceback.
            return self._result(item)
        except BaseException:
            self.close()
            raise

    def _result(self, future):
        while True:
            try:
                return future.result(timeout=_POLL_S)
            except FutureTimeout:
                continue

    def pause(self):
        """Stop requesting batches and wait until no worker is running."""
        with self._lock:
            self._running.clear()
            pending = list(self._outstanding)
        if pending:
            wait(pending)

    def resume(self):
        self._running.set()

    def close(self):
        """Stop the feeder and the workers; batches not yet started are dropped."""
        if self._closed:
            return
        self._closed = True
        self._stopped.set()
        self._running.set()
        with self._lock:
            pending = list(self._outstanding)
        for f in pending:
            f.cancel()
        # Running `__getitem__` calls finish; nothing new starts.
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._feeder.join(timeout=5 * _POLL_S)

    def __del__(self):
        try:
            if not self._closed:
                self._closed = True
                self._stopped.set()
                self._pool.shutdown(wait=False, cancel_futures=True)
        except Exception:
            pass
