from ninja import NinjaAPI

api = NinjaAPI(title="Baku Hub API", version="1")
