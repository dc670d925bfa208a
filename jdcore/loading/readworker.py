"""A worker process that reads role files for a load in a threaded process (the app's server).

Forking a threaded process is not safe, and multiprocessing's "spawn" would import the
parent's main module in the worker, which in the app is the Streamlit script. So the loader
starts `python -m jdcore.loading.readworker` itself: it reads one pickled (taxonomy, jobs) from
stdin, where each job is (files, number of the first file), and writes the pickled list of
jdcore.loading.readpool.Chunk back to stdout. Only jdcore.loading.readpool talks to it, through its own
pipes, so the pickles never come from anywhere else.
"""

import pickle
import sys

from jdcore.loading.readpool import read_chunk


def main() -> None:
    taxonomy, jobs = pickle.load(sys.stdin.buffer)
    chunks = [read_chunk(files, first, taxonomy) for files, first in jobs]
    pickle.dump(chunks, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
