"""Without `make setup` (an installed wheel) the build still runs its notebooks with its own Python."""
import json
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

from nzc_report.notebook import KERNEL_NAME, kernel_name


def test_a_kernel_of_another_interpreter_is_not_used(tmp_path, monkeypatch):
    for name in (KERNEL_NAME, "python3"):  # what a user's own Jupyter may hold, first on the path
        folder = tmp_path / "kernels" / name
        folder.mkdir(parents=True)
        (folder / "kernel.json").write_text(json.dumps(
            {"argv": ["/opt/other/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
             "display_name": "other", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    assert KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0] == "/opt/other/bin/python"
    assert kernel_name() == KERNEL_NAME
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert Path(spec.argv[0]) == Path(sys.executable) and spec.argv[1:3] == ["-m", "ipykernel_launcher"]
    assert Path(spec.resource_dir).is_relative_to(Path(sys.prefix))
