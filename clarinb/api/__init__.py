"""HTTP access to the Clarifai API v2: the endpoint table, the transport and the client."""

from clarinb.api.endpoints import ENDPOINTS, Endpoint, match_route

__all__ = ["ENDPOINTS", "Endpoint", "match_route"]
