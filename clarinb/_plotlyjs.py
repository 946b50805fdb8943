"""plotly.js packed for standalone pages: gzip + base64, unpacked by the browser.

plotly.js is about 4.8 MB of text; gzipped and base64-encoded it is about
2 MB. A page carrying it this way defines a small stand-in ``Plotly`` whose
``newPlot`` queues the figures' calls; the loader at the end of the page
unpacks plotly.js with the browser's ``DecompressionStream``, runs it and
draws the queued figures. No network is needed.
"""

from __future__ import annotations

import base64
import gzip
from functools import lru_cache

from plotly.offline import get_plotlyjs

__all__ = ["LOADER", "STAND_IN", "packed_plotlyjs"]

#: Runs before the figures: ``Plotly.newPlot`` calls wait in a queue.
STAND_IN = (
    "window.clarinbPlots=[];window.Plotly={newPlot:function(){"
    "window.clarinbPlots.push(arguments);return Promise.resolve();}};"
)

#: Runs after the figures; ``%s`` is the packed plotly.js.
LOADER = """(function(){
var queue=window.clarinbPlots;
function fail(){var p=document.createElement("p");p.className="note";
p.textContent="The plots need a browser that can unpack them: a current Chrome, Edge, "+
"Firefox or Safari.";document.body.insertBefore(p,document.body.firstChild);}
if(typeof DecompressionStream==="undefined"){fail();return;}
var text=atob("%s"),bytes=new Uint8Array(text.length);
for(var i=0;i<text.length;i++){bytes[i]=text.charCodeAt(i);}
var stream=new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
new Response(stream).text().then(function(source){
var script=document.createElement("script");script.text=source;document.head.appendChild(script);
queue.forEach(function(args){window.Plotly.newPlot.apply(window.Plotly,args);});
}).catch(fail);
})();"""


@lru_cache(maxsize=1)
def packed_plotlyjs() -> str:
    """plotly.js gzipped (deterministically: no time stamp) and base64-encoded.

    Returns
    -------
    str
        ASCII text: letters, digits, ``+``, ``/`` and ``=``.
    """
    return base64.b64encode(gzip.compress(get_plotlyjs().encode(), 9, mtime=0)).decode("ascii")
