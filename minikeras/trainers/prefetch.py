"""Fetch PyDataset batches ahead of the training loop in worker threads.

`workers > 1` (or `use_multiprocessing=True`, which maps to threads here:
numpy releases the GIL in the heavy parts) runs `dataset[i]` in a thread pool
with at most `max_queue_size` batches in flight. A worker's exception is
re-raised in the caller with its original traceback.
"""
from concurrent.futures import ThreadPoolExecutor
from collections import deque


def iterate_dataset(dataset, indices):
    workers = int(getattr(dataset, "workers", 1) or 1)
    if getattr(dataset, "use_multiprocessing", False):
        workers = max(workers, 2)
    if workers <= 1:
        for i in indices:
            yield dataset[i]
        return
    depth = max(1, int(getattr(dataset, "max_queue_size", 10) or 10))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pydataset")
    pending = deque()
    it = iter(indices)
    try:
        for i in it:
            pending.append(pool.submit(dataset.__getitem__, i))
            if len(pending) >= depth:
                break
        while pending:
            batch = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(dataset.__getitem__, nxt))
            yield batch
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
