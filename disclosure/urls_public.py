from django.urls import path

from disclosure import views

# public, no login: a community's disclosure board (the QR code of a printed notice opens its page)
urlpatterns = [
    path("<slug:community>/", views.board, name="disclosure_board"),
    path("<slug:community>/<slug:code>/", views.board_notice, name="disclosure_board_notice"),
    path("<slug:community>/<slug:code>.pdf", views.board_pdf, name="disclosure_board_pdf"),
]
